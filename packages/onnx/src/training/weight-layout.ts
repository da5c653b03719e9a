import type * as tf from '@tensorflow/tfjs';

/** keras HWIO [kh, kw, in, out] -> ONNX OIHW [out, in, kh, kw]. */
export const HWIO_TO_OIHW: readonly number[] = [3, 2, 0, 1];

/**
 * How the training graph holds a weight whose keras layout is not the one its ONNX ops read:
 * graph value = transpose(keras value, `perm`), of shape `shape`. A Conv2D kernel is held OIHW, so
 * no step transposes a kernel (transposing every kernel in and out cost ~13 % of a ResNet50 step);
 * the weight's optimizer slots share its layout. Engines convert at their boundaries with
 * {@link toGraphLayout} and {@link toKerasLayout}.
 */
export interface GraphLayout {
  perm: readonly number[];
  shape: readonly number[];
}

/** The layout of every weight the graph holds transposed, by weight key (`originalName`). */
export function trainingWeightLayouts(model: tf.LayersModel): Map<string, GraphLayout> {
  const layouts = new Map<string, GraphLayout>();
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    for (const weight of layer.weights) {
      if (weight.shape.length !== 4) continue; // the kernel; a bias keeps its layout
      layouts.set(weight.originalName, { perm: HWIO_TO_OIHW, shape: HWIO_TO_OIHW.map((axis) => Number(weight.shape[axis])) });
    }
  }
  return layouts;
}

/** Keras-layout values of a weight (or of one of its slots) in the graph's layout; the same array when it has none. */
export function toGraphLayout(values: Float32Array, kerasShape: readonly number[], layout: GraphLayout | undefined): Float32Array {
  if (!layout) return values;
  return samePermutation(layout.perm, HWIO_TO_OIHW) ? kernelTranspose(values, kerasShape, 'toOihw') : transpose(values, kerasShape, layout.perm);
}

/** Graph-layout values back in keras's layout; the same array when the weight has no layout. */
export function toKerasLayout(values: Float32Array, kerasShape: readonly number[], layout: GraphLayout | undefined): Float32Array {
  if (!layout) return values;
  return samePermutation(layout.perm, HWIO_TO_OIHW) ? kernelTranspose(values, kerasShape, 'toHwio') : transpose(values, layout.shape, inversePermutation(layout.perm));
}

const samePermutation = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((axis, i) => axis === b[i]);

/** Tile edge of {@link kernelTranspose}: 32x32 floats read and written stay in the L1 cache. */
const TILE = 32;

/**
 * HWIO [kh, kw, in, out] <-> OIHW, as a tiled transpose of the [kh*kw*in, out] matrix whose rows
 * (i, p) sit at (p*in + i)*out: the same values as {@link transpose}, about twice as fast on ResNet50's
 * kernels (the untiled gather reads one float per cache line), which every checkpoint, sync and EMA read pays.
 */
function kernelTranspose(values: Float32Array, [kh, kw, inputs, outputs]: readonly number[], direction: 'toOihw' | 'toHwio'): Float32Array {
  const taps = kh * kw;
  const rows = inputs * taps;
  const out = new Float32Array(values.length);
  for (let q0 = 0; q0 < rows; q0 += TILE) {
    const q1 = Math.min(q0 + TILE, rows);
    for (let o0 = 0; o0 < outputs; o0 += TILE) {
      const o1 = Math.min(o0 + TILE, outputs);
      for (let q = q0; q < q1; q++) {
        const i = Math.floor(q / taps);
        const hwio = ((q - i * taps) * inputs + i) * outputs;
        if (direction === 'toOihw') for (let o = o0; o < o1; o++) out[o * rows + q] = values[hwio + o];
        else for (let o = o0; o < o1; o++) out[hwio + o] = values[o * rows + q];
      }
    }
  }
  return out;
}

/** The permutation that undoes `perm`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((axis, i) => (inverse[axis] = i));
  return inverse;
}

/** out[i0..i3] = values[j] with out axis k = input axis perm[k]; rank 4. */
function transpose(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  if (shape.length !== 4 || perm.length !== 4) throw new Error(`transpose: rank-4 shapes only, got [${shape.join(', ')}] by [${perm.join(', ')}]`);
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const [d0, d1, d2, d3] = perm.map((axis) => shape[axis]);
  const [s0, s1, s2, s3] = perm.map((axis) => strides[axis]);
  const out = new Float32Array(values.length);
  let k = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        const base = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++) out[k++] = values[base + d * s3];
      }
    }
  }
  return out;
}
