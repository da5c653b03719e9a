import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fusedAdamUpdate } from '../src';
import { initNodeWasmBackend } from '../src/node';
import { matrixTransposePlan } from '../src/kernels/transpose';
import { setSimdKernelsEnabled, simdKernelsFor } from '../src/wasm/simd-module';
import { relativeError, runOn, seededTensor } from './helpers';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

beforeAll(async () => {
  await initNodeWasmBackend({ threads: 1 });
});

afterEach(() => setSimdKernelsEnabled(true));

describe('matrixTransposePlan', () => {
  it('sees block permutations as batched 2D transposes', () => {
    expect(matrixTransposePlan([32, 16, 16, 256], [3, 0, 1, 2])).toEqual({ batch: 1, rows: 8192, cols: 256 });
    expect(matrixTransposePlan([4, 3, 5], [0, 2, 1])).toEqual({ batch: 4, rows: 3, cols: 5 });
    expect(matrixTransposePlan([2, 3, 5, 6], [2, 3, 0, 1])).toEqual({ batch: 1, rows: 6, cols: 30 });
    expect(matrixTransposePlan([2, 3, 4], [2, 1, 0])).toBeNull();
    expect(matrixTransposePlan([2, 3, 4], [0, 1, 2])).toBeNull();
  });
});

describe('SIMD wasm kernels', () => {
  it('the committed binary is what wasm/simd-kernels.wat assembles to', () => {
    const check = spawnSync(process.execPath, ['scripts/build-simd-module.mjs', '--check'], { cwd: packageRoot, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('run on the Node wasm backend (shared memory of the threaded build)', async () => {
    await tf.setBackend('wasm');
    const module = (tf.backend() as unknown as { wasm: object & { wasmMemory: WebAssembly.Memory } }).wasm;
    expect(module.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const kernels = simdKernelsFor(module);
    expect(kernels).not.toBeNull();
    expect(Object.keys(kernels!).sort()).toEqual(['adam', 'channel_affine', 'col_sum', 'gather_runs', 'relu', 'transpose2d']);
  });

  // The same kernels with the SIMD module off: the JavaScript loops browsers without SIMD use.
  describe.each([true, false])('with SIMD %s', (simd) => {
    it('Sum and Mean over leading axes match cpu, odd column counts included', async () => {
      for (const shape of [[3, 5, 7, 9], [2, 4, 4, 64], [17, 3]]) {
        const compute = () => {
          const x = seededTensor(shape, 9);
          const axes = shape.length === 4 ? [0, 1, 2] : [0];
          return [tf.sum(x, axes), tf.mean(x, axes, true)];
        };
        const cpu = await runOn('cpu', compute);
        setSimdKernelsEnabled(simd);
        const wasm = await runOn('wasm', compute);
        cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-6));
      }
    });

    it('Transpose matches cpu for block permutations (odd sizes) and others', async () => {
      const cases: Array<[number[], number[]]> = [
        [[7, 9], [1, 0]],
        [[5, 6, 7, 9], [3, 0, 1, 2]],
        [[4, 3, 5], [0, 2, 1]],
        [[2, 3, 5, 6], [2, 3, 0, 1]],
        [[3, 8, 12], [1, 2, 0]],
        [[2, 3, 4, 5], [0, 3, 1, 2]],
        [[2, 3, 4], [2, 1, 0]], // not a block permutation: the stock kernel
      ];
      for (const [shape, perm] of cases) {
        const compute = () => [tf.transpose(seededTensor(shape, 7), perm)];
        const [cpu] = await runOn('cpu', compute);
        setSimdKernelsEnabled(simd);
        const [wasm] = await runOn('wasm', compute);
        expect({ shape, perm, same: Array.from(wasm).every((v, i) => v === cpu[i]) }).toEqual({ shape, perm, same: true });
      }
    });

    it('batch normalization (per-channel statistics, with and without gamma/beta) and ReLU match cpu', async () => {
      for (const [shape, withAffine] of [[[3, 5, 4, 7], true], [[2, 3, 3, 8], false], [[6, 5], true]] as const) {
        const channels = shape[shape.length - 1];
        const compute = () => {
          const x = seededTensor([...shape], 11);
          const mean = seededTensor([channels], 12);
          const variance = tf.add(tf.abs(seededTensor([channels], 13)), 0.1);
          const normalized = withAffine
            ? tf.batchNorm(x, mean, variance, seededTensor([channels], 14), seededTensor([channels], 15), 1e-3)
            : tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3);
          return [normalized, tf.relu(normalized)];
        };
        const cpu = await runOn('cpu', compute);
        setSimdKernelsEnabled(simd);
        const wasm = await runOn('wasm', compute);
        cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-6));
      }
    });

    it('3x3 filter gradients (im2col gathers) match cpu at strides 1 and 2', async () => {
      for (const stride of [1, 2]) {
        const compute = () => {
          const x = seededTensor([2, 9, 7, 3], 21);
          const filter = seededTensor([3, 3, 3, 5], 22);
          const weights = seededTensor([2, stride === 1 ? 9 : 5, stride === 1 ? 7 : 4, 5], 23);
          const loss = (k: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, stride, 'same'), weights));
          return [tf.grad(loss)(filter)];
        };
        const [cpu] = await runOn('cpu', compute);
        setSimdKernelsEnabled(simd);
        const [wasm] = await runOn('wasm', compute);
        expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
      }
    });

    // SIMD lanes compute in float32, the cpu kernel in float64: a few float32 ulps apart.
    it('fused Adam matches the cpu kernel, lengths not a multiple of 4 included', async () => {
      const attrs = { lr: 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, biasCorrection1: 1 - 0.9 ** 2, biasCorrection2: 1 - 0.999 ** 2, decay: 1e-4 };
      const compute = () => {
        const out = fusedAdamUpdate(
          {
            value: seededTensor([4, 103], 1),
            m: tf.mul(seededTensor([4, 103], 2), 0.1),
            v: tf.abs(tf.mul(seededTensor([4, 103], 3), 0.01)),
            grad: seededTensor([4, 103], 4),
          },
          attrs,
        );
        return [out.value, out.m, out.v];
      };
      const cpu = await runOn('cpu', compute);
      setSimdKernelsEnabled(simd);
      const wasm = await runOn('wasm', compute);
      cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-5));
    });
  });
});
