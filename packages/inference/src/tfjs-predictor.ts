import * as tf from '@tensorflow/tfjs';
import { predict } from '@resnet-ts/trainer';
import { readModelCard, type ClassScore, type ModelCard } from '@resnet-ts/zoo';
import type { ClassifyOptions, Predictor, PredictorOverrides } from './predictor';
import { imageCount, predictorHeader } from './predictor-header';

export interface TfjsPredictorOptions extends PredictorOverrides {
  /** The model's card; default: the one in the model's metadata (`readModelCard`), else assumed. */
  card?: ModelCard;
  /** What was assumed, when `card` was filled in for a model without one. */
  cardNotice?: string;
  /** Whether `dispose()` disposes the model too. Default false: the model stays the caller's. */
  disposeModel?: boolean;
}

/** A predictor on a tfjs model, which also takes tensors (NHWC batch or one HWC image, still the caller's). */
export interface TfjsPredictor extends Predictor {
  classify(images: Float32Array | tf.Tensor4D | tf.Tensor3D, options?: ClassifyOptions): Promise<ClassScore[][]>;
}

/**
 * Classifies with a tfjs `LayersModel` on the current backend, BatchNorm in inference mode, with
 * the input size, normalization and class names of its model card.
 */
export function tfjsPredictor(model: tf.LayersModel, options: TfjsPredictorOptions = {}): TfjsPredictor {
  const card = options.card ? { card: options.card, notice: options.cardNotice } : readModelCard(model);
  const header = predictorHeader(card, { inputSize: model.inputs[0].shape.slice(1), outputs: model.outputs[0].shape.at(-1) }, options);
  const { size } = header.input;
  return {
    ...header,
    ready: async () => 'tfjs',
    async classify(images, { topK } = {}) {
      const batch = images instanceof Float32Array ? tf.tensor4d(images, [imageCount(images, size), ...size]) : undefined;
      try {
        return await predict(model, batch ?? (images as tf.Tensor4D | tf.Tensor3D), { topK, classNames: header.classNames });
      } finally {
        batch?.dispose();
      }
    },
    async dispose() {
      if (options.disposeModel) model.dispose();
    },
  };
}
