import * as tf from '@tensorflow/tfjs';

/** Deterministic values in [-1, 1) (mulberry32), so every backend sees the same inputs. */
export function seededValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return values;
}

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
