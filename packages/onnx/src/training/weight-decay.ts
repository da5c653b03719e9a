import type * as tf from '@tensorflow/tfjs';

/**
 * The trainer's weight-decay policy (`decays` in packages/trainer/src/train-step.ts, which this
 * package may not import): kernels and embeddings decay; biases and BatchNorm gamma/beta (rank < 2)
 * do not. Keep the two in step; the engine's tests compare them on every zoo model.
 */
export function decays(weight: tf.LayerVariable): boolean {
  return weight.shape.length >= 2 && !/(^|\/)(bias|gamma|beta)(_\d+)?$/.test(weight.originalName);
}
