import type * as tf from '@tensorflow/tfjs';

/**
 * The weight-decay policy: which weights get decoupled weight decay. Kernels and embeddings decay;
 * biases and BatchNorm gamma/beta (rank < 2, or named so) do not. One policy for the tfjs trainer
 * and the ONNX training graph, so both engines decay the same weights.
 */
export function decays(weight: tf.LayerVariable): boolean {
  return weight.shape.length >= 2 && !/(^|\/)(bias|gamma|beta)(_\d+)?$/.test(weight.originalName);
}
