import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeWasmBackend } from '../src/node';
import { reductionCases, relativeError, runOn, seededTensor, type ReductionCase } from './helpers';

beforeAll(async () => {
  await initNodeWasmBackend({ threads: 1 });
});

describe('Tile on wasm matches the cpu backend', () => {
  const cases: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [1, 1, 1, 7], reps: [3, 5, 4, 1] }, // whole copies (the fast path)
    { shape: [1, 6], reps: [9, 1] },
    { shape: [1, 1, 3], reps: [1, 4, 1] },
    { shape: [2, 3], reps: [2, 3] }, // the stock kernel's cases
    { shape: [3, 1, 2], reps: [1, 4, 1] },
  ];
  it.each(cases.map((c) => [`[${c.shape}] x [${c.reps}]`, c] as const))('%s', async (_n, c) => {
    const compute = () => [tf.tile(seededTensor(c.shape, 1), c.reps)];
    const [cpu] = await runOn('cpu', compute);
    const [wasm] = await runOn('wasm', compute);
    expect(wasm).toEqual(cpu);
  });
});

describe('Mean gradient', () => {
  const cases: ReductionCase[] = [
    { shape: [4, 3, 5, 6], axis: [0, 1, 2], keepDims: true },
    { shape: [4, 3, 5, 6], axis: [0, 1, 2], keepDims: false },
    { shape: [5, 7], axis: 1, keepDims: false },
    { shape: [2, 3, 4], axis: [0, 2], keepDims: true },
  ];
  it.each(reductionCases(cases))(
    '%s matches on wasm and cpu, and equals dy / n broadcast',
    async (_n, c) => {
      const compute = () => {
        const x = seededTensor(c.shape, 2);
        const weights = tf.tidy(() => seededTensor(tf.mean(x, c.axis, c.keepDims).shape, 3));
        return [tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.mean(input, c.axis, c.keepDims), weights)))(x)];
      };
      const [cpu] = await runOn('cpu', compute);
      const [wasm] = await runOn('wasm', compute);
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-6);
      // Analytic: every element of a reduced group gets weight / group size.
      const axes = tf.util.parseAxisParam(c.axis, c.shape);
      const count = axes.reduce((n, a) => n * c.shape[a], 1);
      const expected = await runOn('cpu', () => {
        const w = seededTensor(tf.tidy(() => tf.mean(seededTensor(c.shape, 2), c.axis, true)).shape, 3);
        return [tf.broadcastTo(tf.div(w, count), c.shape)];
      });
      expect(relativeError(cpu, expected[0])).toBeLessThan(1e-6);
    },
  );
});
