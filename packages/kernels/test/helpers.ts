import * as tf from '@tensorflow/tfjs';
import { seededValues } from '../../../test-support/seeded-values';

export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** A reduction test case (Sum, Mean and their gradients), with a readable name for `it.each`. */
export interface ReductionCase {
  shape: number[];
  axis: number | number[];
  keepDims: boolean;
}

export function reductionCases(cases: ReductionCase[]): Array<readonly [string, ReductionCase]> {
  return cases.map((c) => [`[${c.shape}] axis ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}`, c] as const);
}

/** Runs `compute` on `backend` and returns its outputs as plain arrays (no tensor survives). */
export async function runOn(backend: string, compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outputs = tf.tidy(compute);
  const values = outputs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outputs);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${leaked} tensors leaked on ${backend}`);
  return values;
}

/** max |actual - expected| / max |expected|: the error measure the tolerances below refer to. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / (scale || 1);
}
