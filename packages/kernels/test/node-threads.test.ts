import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { initNodeWasmBackend, MAX_WASM_THREADS } from '../src/node';
import { trainingKernelNames } from '../src';
import { findTwoThreadPool } from './thread-pool-probe';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('initNodeWasmBackend', () => {
  it('runs the wasm backend with SIMD on the requested 2 threads, the second running part of a matMul', async () => {
    const info = await initNodeWasmBackend({ threads: 2 });
    expect(info).toEqual({ threads: 2, simd: true });
    expect(tf.getBackend()).toBe('wasm');
    // pthreadpool with 2 threads = the calling thread + 1 worker running in the pool.
    const module = (tf.backend() as any).wasm;
    expect(module.tfjs.getThreadsCount()).toBe(2);
    expect(module.PThread.runningWorkers.length).toBe(1);
    // The training kernels are registered with it.
    for (const name of trainingKernelNames().kernels) expect(tf.getKernel(name, 'wasm')).toBeDefined();
    // And the worker does work: a [1024, 1024] x [1024, 1024] product is one XNNPACK GEMM loop (256
    // tiles here) that pthreadpool splits between the calling thread and the worker, and the pool's
    // own bookkeeping in the wasm heap says how many tiles the worker ran (thread-pool-probe.ts).
    // With one thread, a pool that does not dispatch, or a worker that never runs, that count is 0.
    // It counts work, it does not time it; it could read 0 with working threads only if the worker
    // got no core at all while the caller ran every tile (~0.1-0.4 s of compute). At a load
    // average of 10-15 on 2 cores the worker ran 91-139 of the 256 tiles in 11 runs.
    const pool = findTwoThreadPool(module);
    const before = tf.memory().numTensors;
    const [a, b] = [tf.ones([1024, 1024]), tf.ones([1024, 1024])];
    pool.forgetLastLoop();
    const product = tf.matMul(a, b);
    const values = await product.data();
    const loop = pool.lastLoop();
    expect(loop.byWorker, `tiles of the matMul loop the pool worker ran (${JSON.stringify(loop)})`).toBeGreaterThan(0);
    // Its tiles are right too (every entry of ones x ones is 1024).
    expect(values.every((v) => v === 1024)).toBe(true);
    tf.dispose([a, b, product]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to switch thread counts while tensors live on the backend', async () => {
    await initNodeWasmBackend({ threads: 2 });
    const alive = tf.ones([2]);
    await expect(initNodeWasmBackend({ threads: 1 })).rejects.toThrow(/dispose models and tensors first/);
    alive.dispose();
    expect(await initNodeWasmBackend({ threads: 1 })).toEqual({ threads: 1, simd: true });
  });

  it('rejects thread counts it cannot run', async () => {
    await expect(initNodeWasmBackend({ threads: 0 })).rejects.toThrow(/integer from 1 to/);
    await expect(initNodeWasmBackend({ threads: MAX_WASM_THREADS + 1 })).rejects.toThrow(/integer from 1 to/);
  });

  it('lets a process that used 2 threads exit by itself', async () => {
    // Bundle the package's node entry (tfjs stays external) next to node_modules, run it in a
    // child that does some work and then simply ends: no process.exit anywhere.
    const outDir = path.join(packageDir, 'test-output');
    fs.mkdirSync(outDir, { recursive: true });
    const bundle = path.join(outDir, `node-entry-${process.pid}.mjs`);
    await build({
      entryPoints: [path.join(packageDir, 'src/node/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      external: ['@tensorflow/*'],
      logLevel: 'silent',
    });
    const script = `
      import * as tf from '@tensorflow/tfjs';
      import { initNodeWasmBackend } from ${JSON.stringify(bundle)};
      const info = await initNodeWasmBackend({ threads: 2 });
      const x = tf.ones([2, 16, 16, 8]);
      const w = tf.variable(tf.ones([3, 3, 8, 8]));
      const { grads } = tf.variableGrads(() => tf.sum(tf.conv2d(x, w, 1, 'same')));
      await Object.values(grads)[0].data();
      console.log(JSON.stringify(info));
    `;
    try {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: packageDir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.error, 'the child did not exit within 60 s: a worker keeps it alive').toBeUndefined();
      expect(child.status, child.stderr).toBe(0);
      expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ threads: 2, simd: true });
    } finally {
      fs.rmSync(bundle, { force: true });
    }
  });
});
