import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodePool } from '../src/node/decode-pool';
import { tempDir, writeSolid } from './fixtures';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let root: string;

beforeAll(async () => {
  root = await tempDir('pool');
  await writeSolid(path.join(root, 'a.png'), 8, 8, [1, 2, 3]);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const task = (file: string) => ({ path: file, width: 4, height: 4, fit: 'stretch' as const, minSide: 1, maxPixels: 1e6 });

describe('DecodePool', () => {
  it('delivers a result to a script that does not await it, then lets the process exit without terminate()', async () => {
    // Bundle the pool as plain JS so a separate Node process can run it.
    const outDir = path.join(packageDir, 'test-output', 'decode-pool');
    await build({ entry: { pool: path.join(packageDir, 'src/node/decode-pool.ts') }, outDir, format: ['esm'], platform: 'node', dts: false, silent: true, config: false, external: ['sharp'] });
    const script = path.join(outDir, 'child.mjs');
    // No await: only the busy worker may keep the event loop alive until the result arrives.
    await fs.writeFile(
      script,
      `import { DecodePool } from './pool.js';\nnew DecodePool(2).decode(${JSON.stringify(task(path.join(root, 'a.png')))}).then((d) => console.log('decoded', d.length));\n`,
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal).toBeNull();
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('decoded 48');
    expect(child.status).toBe(0);
  });

  it('refuses to start without sharp, in one error that says to install it', async () => {
    // Bundled into the system temp dir, the pool resolves packages from there: sharp is not found.
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'resnet-no-sharp-'));
    try {
      await build({ entry: { pool: path.join(packageDir, 'src/node/decode-pool.ts') }, outDir, format: ['esm'], platform: 'node', dts: false, silent: true, config: false, external: ['sharp'] });
      const script = path.join(outDir, 'child.mjs');
      await fs.writeFile(script, `import { DecodePool } from './pool.js';\ntry { new DecodePool(1); } catch (error) { console.log(error.name + ': ' + error.message); }\n`);
      const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe(
        'SharpMissingError: Decoding image files in Node needs sharp, an optional peer dependency of @resnet-ts/data that is not installed: run `npm install sharp` (0.34 or later).',
      );
    } finally {
      await fs.rm(outDir, { recursive: true, force: true });
    }
  });

  it('decodes in parallel, reports per-task errors without losing the worker, and restarts after terminate', async () => {
    const pool = new DecodePool(2);
    const results = await Promise.allSettled([
      pool.decode(task(path.join(root, 'a.png'))),
      pool.decode(task(path.join(root, 'missing.png'))),
      pool.decode(task(path.join(root, 'a.png'))),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/cannot read file \(ENOENT/);
    expect(Array.from((results[0] as PromiseFulfilledResult<Uint8Array>).value.subarray(0, 3))).toEqual([1, 2, 3]);
    await pool.terminate();
    expect((await pool.decode(task(path.join(root, 'a.png')))).length).toBe(48);
    await pool.terminate();
    expect(() => new DecodePool(0)).toThrow(/workers must be a positive integer/);
  });

  it('hands a whole batch to a worker at once; after a crash retries its tasks alone, failing only a lone casualty', async () => {
    const pool = new DecodePool(1);
    const workers = (pool as unknown as { workers: Array<{ worker: { terminate(): Promise<number> }; inFlight: Map<number, unknown> }> }).workers;
    const file = path.join(root, 'a.png');
    // More tasks than the worker decodes at once: it queues the rest itself, so it needs no
    // main-thread turn to go on (the main thread may be blocked, e.g. by onnxruntime).
    const many = Array.from({ length: 20 }, () => pool.decode(task(file)));
    expect(workers).toHaveLength(1);
    expect(workers[0].inFlight.size).toBe(20);
    expect((await Promise.all(many)).every((d) => d.length === 48 && d[0] === 1)).toBe(true);
    const batch = [1, 2, 3].map(() => pool.decode(task(file)));
    expect(workers[0].inFlight.size).toBe(3);
    // Kill the worker holding three tasks: each is retried alone on a fresh worker and succeeds.
    await workers[0].worker.terminate();
    expect((await Promise.all(batch)).map((d) => d.length)).toEqual([48, 48, 48]);
    // A worker that dies holding one task fails that task with the reason.
    const lone = pool.decode(task(file));
    await workers[0].worker.terminate();
    await expect(lone).rejects.toThrow(/decode worker exited with code 1/);
    await pool.terminate();
  });
});
