import type { LayerTrainer } from './context';
import { trainBatchNormalization } from './layers/batch-normalization';
import { trainConv2D } from './layers/conv2d';
import { trainDense } from './layers/dense';
import { trainActivationLayer, trainAdd, trainReLU } from './layers/elementwise';
import { trainGlobalAveragePooling2D, trainMaxPooling2D } from './layers/pooling';
import { trainFlatten, trainInactiveNoise, trainZeroPadding2D } from './layers/shape-layers';

/** Layer class name (as `getClassName()` reports it) -> its training-mode forward and backward. */
export const layerTrainers: Readonly<Record<string, LayerTrainer>> = {
  Conv2D: trainConv2D,
  BatchNormalization: trainBatchNormalization,
  Dense: trainDense,
  Activation: trainActivationLayer,
  ReLU: trainReLU,
  Add: trainAdd,
  ZeroPadding2D: trainZeroPadding2D,
  MaxPooling2D: trainMaxPooling2D,
  GlobalAveragePooling2D: trainGlobalAveragePooling2D,
  Flatten: trainFlatten,
  Dropout: trainInactiveNoise,
  SpatialDropout2D: trainInactiveNoise,
  GaussianNoise: trainInactiveNoise,
  GaussianDropout: trainInactiveNoise,
  AlphaDropout: trainInactiveNoise,
};

/** The layer classes the training graph understands, besides InputLayer. */
export function trainableLayerClasses(): string[] {
  return Object.keys(layerTrainers).sort();
}
