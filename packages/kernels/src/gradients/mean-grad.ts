import * as tf from '@tensorflow/tfjs';

/**
 * Gradient of Mean as a broadcast of dy / n (one Tile, a repeated copy on wasm with this
 * package's Tile kernel). tfjs-core's version builds a full-size tensor of ones in JavaScript,
 * uploads it, multiplies and divides: three full-size passes plus the upload, twice per
 * BatchNorm layer in training (tf.moments takes two means).
 */
export function meanGradConfig(): tf.GradConfig {
  return {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { axis } = attrs as unknown as { axis: number | number[] };
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const expanded = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return {
        x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, expanded), count), x.shape),
      };
    },
  };
}
