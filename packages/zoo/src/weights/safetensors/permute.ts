/**
 * Reorders the axes of a row-major array: `out` has shape `perm.map((p) => shape[p])` and
 * `out[i_0, i_1, ...] = values[j]` where `j` indexes axis `perm[k]` with `i_k`. Ranks up to 4.
 */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): { values: Float32Array; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank || rank > 4) throw new Error(`permute: perm ${JSON.stringify(perm)} does not fit shape ${JSON.stringify(shape)}`);
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  // Pad to rank 4 so one loop nest serves every rank.
  const outShape = [...perm.map((p) => shape[p]), 1, 1, 1, 1].slice(0, 4);
  const step = [...perm.map((p) => strides[p]), 0, 0, 0, 0].slice(0, 4);
  const out = new Float32Array(values.length);
  const [n0, n1, n2, n3] = outShape;
  const [s0, s1, s2, s3] = step;
  let o = 0;
  for (let a = 0; a < n0; a += 1) {
    for (let b = 0; b < n1; b += 1) {
      for (let c = 0; c < n2; c += 1) {
        let j = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < n3; d += 1, j += s3) out[o++] = values[j];
      }
    }
  }
  return { values: out, shape: perm.map((p) => shape[p]) };
}

/** PyTorch conv kernels are [out, in, h, w] (OIHW); tfjs wants [h, w, in, out] (HWIO). */
export const OIHW_TO_HWIO = [2, 3, 1, 0] as const;
export const HWIO_TO_OIHW = [3, 2, 0, 1] as const;
/** PyTorch Linear weights are [out, in]; tfjs Dense kernels [in, out]. */
export const TRANSPOSE_2D = [1, 0] as const;
