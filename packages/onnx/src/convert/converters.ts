import type { LayerConverter } from './context';
import { convertBatchNormalization } from './layers/batch-normalization';
import { convertConv2D } from './layers/conv2d';
import { convertDense } from './layers/dense';
import { convertActivation, convertAdd, convertReLU, convertRescaling, convertSoftmax, identity } from './layers/elementwise';
import { convertFlatten } from './layers/flatten';
import { convertGlobalPooling2D, convertPooling2D } from './layers/pooling';
import { convertZeroPadding2D } from './layers/zero-padding';

/** Layer class name (as `getClassName()` reports it) -> converter. */
export const layerConverters: Readonly<Record<string, LayerConverter>> = {
  Conv2D: convertConv2D,
  BatchNormalization: convertBatchNormalization,
  Dense: convertDense,
  Activation: convertActivation,
  ReLU: convertReLU,
  Softmax: convertSoftmax,
  Add: convertAdd,
  ZeroPadding2D: convertZeroPadding2D,
  MaxPooling2D: convertPooling2D,
  AveragePooling2D: convertPooling2D,
  GlobalAveragePooling2D: convertGlobalPooling2D,
  GlobalMaxPooling2D: convertGlobalPooling2D,
  Flatten: convertFlatten,
  Rescaling: convertRescaling,
  Dropout: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
};

/** The layer classes the exporter understands, besides InputLayer. */
export function supportedLayerClasses(): string[] {
  return Object.keys(layerConverters).sort();
}
