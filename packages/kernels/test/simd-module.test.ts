import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fusedAdamUpdate } from '../src';
import { initNodeWasmBackend } from '../src/node';
import { setSimdKernelsEnabled, simdKernelsFor } from '../src/wasm/simd-module';
import { relativeError, runOn, seededTensor } from './helpers';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

beforeAll(async () => {
  await initNodeWasmBackend({ threads: 1 });
});

afterEach(() => setSimdKernelsEnabled(true));

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
    expect(Object.keys(kernels!).sort()).toEqual(['adam', 'col_sum']);
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
