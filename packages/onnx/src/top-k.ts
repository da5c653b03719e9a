/** One ranked class of one image. */
export interface ClassScore {
  index: number;
  label: string;
  probability: number;
}

/**
 * Ranks the `k` best classes of each row of a [batch, classes] score matrix, highest first (ties
 * keep the lower index first). Labels default to the index as a string.
 */
export function topKClasses(scores: ArrayLike<number>, batch: number, k: number, classNames?: readonly string[]): ClassScore[][] {
  const classes = scores.length / batch;
  if (!Number.isInteger(classes)) throw new RangeError(`topKClasses: ${scores.length} scores do not split into ${batch} rows`);
  const keep = Math.max(0, Math.min(k, classes));
  const rows: ClassScore[][] = [];
  for (let b = 0; b < batch; b++) {
    const offset = b * classes;
    const order = Array.from({ length: classes }, (_, i) => i).sort((x, y) => scores[offset + y] - scores[offset + x] || x - y);
    rows.push(order.slice(0, keep).map((index) => ({ index, label: classNames?.[index] ?? String(index), probability: scores[offset + index] })));
  }
  return rows;
}

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
