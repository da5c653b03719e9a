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
  return layout ? transpose(values, kerasShape, layout.perm) : values;
}

/** Graph-layout values back in keras's layout; the same array when the weight has no layout. */
export function toKerasLayout(values: Float32Array, kerasShape: readonly number[], layout: GraphLayout | undefined): Float32Array {
  return layout ? transpose(values, layout.shape, inversePermutation(layout.perm)) : values;
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
