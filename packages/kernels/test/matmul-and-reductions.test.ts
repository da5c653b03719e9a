import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeWasmBackend } from '../src/node';
import { reductionCases, relativeError, runOn, seededTensor, type ReductionCase } from './helpers';

beforeAll(async () => {
  await initNodeWasmBackend({ threads: 1 });
});

describe('BatchMatMul on wasm matches the cpu backend', () => {
  const cases: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
    { a: [7, 5], b: [5, 3], transposeA: false, transposeB: false },
    { a: [5, 7], b: [5, 3], transposeA: true, transposeB: false },
    { a: [7, 5], b: [3, 5], transposeA: false, transposeB: true },
    { a: [5, 7], b: [3, 5], transposeA: true, transposeB: true },
    { a: [4, 6, 5], b: [4, 5, 3], transposeA: false, transposeB: false },
    { a: [2, 3, 5, 6], b: [2, 3, 4, 5], transposeA: true, transposeB: true },
    { a: [3, 6, 5], b: [5, 2], transposeA: false, transposeB: false },
    { a: [6, 5], b: [4, 3, 5], transposeA: false, transposeB: true },
  ];
  it.each(cases.map((c) => [`[${c.a}]${c.transposeA ? 'T' : ''} x [${c.b}]${c.transposeB ? 'T' : ''}`, c] as const))(
    '%s',
    async (_name, c) => {
      const compute = () => [tf.matMul(seededTensor(c.a, 1), seededTensor(c.b, 2), c.transposeA, c.transposeB)];
      const [cpu] = await runOn('cpu', compute);
      const [wasm] = await runOn('wasm', compute);
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
    },
  );

  it('dense layer gradients (transposed products) match cpu', async () => {
    const compute = () => {
      const x = seededTensor([6, 10], 3);
      const w = seededTensor([10, 4], 4);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))))([x, w]);
    };
    const cpu = await runOn('cpu', compute);
    const wasm = await runOn('wasm', compute);
    cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-5));
  });
});

describe('Sum and Mean on wasm match the cpu backend', () => {
  const cases: ReductionCase[] = [
    { shape: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: true },
    { shape: [9, 3], axis: 0, keepDims: false },
    { shape: [4, 5, 6], axis: [1, 0], keepDims: false },
    { shape: [4, 5, 6], axis: [1, 2], keepDims: false },
    { shape: [4, 5, 6], axis: -1, keepDims: true },
    { shape: [4, 5, 6], axis: [0, 1, 2], keepDims: false },
  ];
  it.each(reductionCases(cases))(
    '%s',
    async (_name, c) => {
      const compute = () => {
        const x = seededTensor(c.shape, 5);
        return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)];
      };
      const cpu = await runOn('cpu', compute);
      const wasm = await runOn('wasm', compute);
      cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-5));
    },
  );

  it('keeps int32 sums exact (stock kernel path)', async () => {
    const compute = () => [tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), 0).toFloat()];
    const [wasm] = await runOn('wasm', compute);
    expect(Array.from(wasm)).toEqual([4, 6]);
  });
});
