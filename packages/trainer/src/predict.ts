import * as tf from '@tensorflow/tfjs';
import { outputsAreProbabilities } from './loss';
import { topKIndices } from './metrics';

export interface PredictOptions {
  /** How many classes to return per image. Default 5 (capped at the number of classes). */
  topK?: number;
  /** Names for the output indices; defaults to "0", "1", ... */
  classNames?: readonly string[];
}

export interface ClassScore {
  index: number;
  className: string;
  probability: number;
}

export interface Prediction {
  /** Best first. */
  top: ClassScore[];
}

/**
 * Classifies preprocessed images (NHWC batch or one HWC image) with BatchNorm in inference mode.
 * Input tensors stay owned by the caller.
 */
export async function predict(
  model: tf.LayersModel,
  images: tf.Tensor4D | tf.Tensor3D,
  options: PredictOptions = {},
): Promise<Prediction[]> {
  const fromLogits = !outputsAreProbabilities(model);
  const probs = tf.tidy(() => {
    const batch = images.rank === 3 ? tf.expandDims(images, 0) : images;
    const out = model.predict(batch) as tf.Tensor2D;
    return fromLogits ? tf.softmax(out) : out;
  });
  const [n, classes] = probs.shape;
  const data = await probs.data();
  probs.dispose();
  const k = Math.min(options.topK ?? 5, classes);
  const names = options.classNames;
  if (names && names.length !== classes) {
    throw new Error(`predict: model has ${classes} outputs but ${names.length} class names were given.`);
  }
  const predictions: Prediction[] = [];
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * classes, (i + 1) * classes);
    predictions.push({
      top: topKIndices(row, k).map((index) => ({ index, className: names?.[index] ?? String(index), probability: row[index] })),
    });
  }
  return predictions;
}
