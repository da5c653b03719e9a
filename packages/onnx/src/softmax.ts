/** Softmax of each row of a [batch, classes] matrix (max-subtracted, so large logits are safe). */
export function softmaxRows(values: ArrayLike<number>, batch: number): Float32Array {
  const classes = values.length / batch;
  const out = new Float32Array(values.length);
  for (let b = 0; b < batch; b++) {
    const offset = b * classes;
    let max = -Infinity;
    for (let i = 0; i < classes; i++) max = Math.max(max, values[offset + i]);
    let sum = 0;
    for (let i = 0; i < classes; i++) sum += out[offset + i] = Math.exp(values[offset + i] - max);
    for (let i = 0; i < classes; i++) out[offset + i] /= sum;
  }
  return out;
}
