import * as tf from '@tensorflow/tfjs';
import { topKClasses, type ClassScore } from '@resnet-ts/zoo';
import { outputsAreProbabilities } from './loss';

export interface PredictOptions {
  /** How many classes to return per image. Default 5 (capped at the number of classes). */
  topK?: number;
  /** Names for the output indices, one per output; defaults to "0", "1", ... */
  classNames?: readonly string[];
}

/**
 * Classifies preprocessed images (NHWC batch or one HWC image) with BatchNorm in inference mode:
 * per image, the `topK` classes best first (softmax probabilities, also for a logits head).
 * Input tensors stay owned by the caller.
 */
export async function predict(
  model: tf.LayersModel,
  images: tf.Tensor4D | tf.Tensor3D,
  options: PredictOptions = {},
): Promise<ClassScore[][]> {
  const fromLogits = !outputsAreProbabilities(model);
  const probs = tf.tidy(() => {
    const batch = images.rank === 3 ? tf.expandDims(images, 0) : images;
    const out = model.predict(batch) as tf.Tensor2D;
    return fromLogits ? tf.softmax(out) : out;
  });
  const [rows] = probs.shape;
  const data = await probs.data().finally(() => probs.dispose());
  return topKClasses(data, rows, { k: options.topK ?? 5, ...(options.classNames ? { classNames: options.classNames } : {}) });
}
