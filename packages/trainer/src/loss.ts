import * as tf from '@tensorflow/tfjs';

export interface LossOptions {
  /** Mixes the targets with a uniform distribution: y * (1 - s) + s / classes. */
  labelSmoothing?: number;
  /** The model outputs logits (no softmax) rather than probabilities. */
  fromLogits?: boolean;
}

const EPSILON = 1e-7;

/** Mean categorical cross-entropy over the batch (Keras semantics, probabilities clipped to [eps, 1-eps]). */
export function categoricalCrossEntropy(targets: tf.Tensor2D, outputs: tf.Tensor2D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const classes = targets.shape[1];
    const smoothing = options.labelSmoothing ?? 0;
    const y = smoothing > 0 ? tf.add(tf.mul(targets, 1 - smoothing), smoothing / classes) : targets;
    const logProbs = options.fromLogits
      ? tf.logSoftmax(outputs)
      : tf.log(tf.clipByValue(tf.div(outputs, tf.sum(outputs, -1, true)), EPSILON, 1 - EPSILON));
    return tf.mean(tf.neg(tf.sum(tf.mul(y, logProbs), -1))) as tf.Scalar;
  });
}

/** Whether a model's last layer already applies softmax (if not, its outputs are treated as logits). */
export function outputsAreProbabilities(model: tf.LayersModel): boolean {
  const last = model.layers[model.layers.length - 1];
  const config = last?.getConfig() as { activation?: string } | undefined;
  if (last?.getClassName() === 'Softmax') return true;
  return config?.activation === 'softmax';
}
