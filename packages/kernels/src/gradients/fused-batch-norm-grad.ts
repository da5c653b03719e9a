import * as tf from '@tensorflow/tfjs';

/**
 * Gradient of FusedBatchNorm for per-channel (rank-1) statistics, with the algebra folded so it
 * needs two full-size multiplies and two reductions, and no Tile (slow on wasm, and a full-size
 * copy everywhere). tfjs-core's version tiles 1/sqrt(var) to the input shape and forms
 * (x - mean) * dy twice. Other statistics ranks use the original gradient.
 *
 * With r = 1/sqrt(var + eps), g = scale (1 if absent), S1 = sum(dy), S2 = sum(dy * (x - mean)):
 *   dx = dy * (r g),  dmean = -r g S1,  dvar = -0.5 r^3 g S2,  dscale = r S2,  doffset = S1.
 */
export function fusedBatchNormGradConfig(original: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      if (mean.rank !== 1 || Array.isArray(dy)) return original.gradFunc(dy, saved, attrs);
      const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      // Computed here, not inside the thunks: tfjs runs each thunk in its own tidy, so a value
      // shared between thunks must be created in the gradFunc scope.
      const rsqrt = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
      const gain = scale == null ? rsqrt : tf.mul(rsqrt, scale);
      const sumDy = tf.sum(dy, axes);
      // sum(dy * (x - mean)) = sum(dy * x) - mean * sum(dy): one full-size multiply, no x - mean.
      const sumDyCentered = tf.sub(tf.sum(tf.mul(dy, x), axes), tf.mul(mean, sumDy));
      return {
        x: () => tf.mul(dy, gain),
        mean: () => tf.neg(tf.mul(gain, sumDy)),
        variance: () => tf.mul(tf.mul(tf.pow(rsqrt, 3), -0.5), tf.mul(scale ?? 1, sumDyCentered)),
        scale: () => tf.mul(rsqrt, sumDyCentered),
        offset: () => tf.reshape(sumDy, mean.shape),
      };
    },
  };
}
