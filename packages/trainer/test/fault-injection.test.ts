import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileIO } from '@resnet-ts/zoo/node';
import { trainRun } from '../src/node/run';
import { orderedWeights } from '../src/weights';
import { BACKEND, faultScenario } from './fixtures/resume-scenario';
import { bundleChild } from './helpers/child-bundle';
import { rng } from './helpers/datasets';

let work: string;
let script: string;

beforeAll(async () => {
  await tf.setBackend(BACKEND);
  work = await mkdtemp(join(tmpdir(), 'trainer-faults-'));
  script = await bundleChild('fault-child.ts');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(script, { force: true });
});

/** Kill the child `delayMs` after it reports step `step` or later (0: after start-up). */
interface KillPoint {
  step: number;
  delayMs: number;
}

/** Runs the child on `runDir` and SIGKILLs it at `kill` (null: let it finish). Resolves with how it ended. */
function runChild(runDir: string, kill: KillPoint | null): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const reached = kill && (kill.step === 0 ? out.includes('ready\n') : [...out.matchAll(/^step (\d+)$/gm)].some((m) => Number(m[1]) >= kill.step));
      if (reached && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('finished\n')) resolve('finished');
      else reject(new Error(`child exited with ${code ?? signal}:\n${out}\n${err}`));
    });
  });
}

async function weights(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(orderedWeights(model).map(async (w) => ((await w.read().data()) as Float32Array).slice()));
}

/** Every entry under `folder`, relative to it. */
async function tree(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).map(String).sort();
}

describe('fault injection', () => {
  it('a run SIGKILLed at 12 random moments and resumed each time ends with the weights of an uninterrupted run', async () => {
    const dir = join(work, 'killed');
    const random = rng(18);
    // 12 kill points over the 30 steps (checkpoint after each): after start-up, or a random 0-60 ms
    // after a step was reported, which lands in that step's checkpoint write, the next step, or the
    // final model and report once the last step is done.
    const points: KillPoint[] = Array.from({ length: 12 }, () => ({ step: Math.floor(random() * 31), delayMs: Math.floor(random() * 60) }));
    points.sort((a, b) => a.step - b.step);
    let kills = 0;
    for (const point of points) if ((await runChild(dir, point)) === 'killed') kills += 1;
    expect(await runChild(dir, null)).toBe('finished');
    expect(kills).toBeGreaterThanOrEqual(10);

    const fresh = faultScenario(join(work, 'fresh'));
    await trainRun(fresh);
    const killed = await tf.loadLayersModel(fileIO(join(dir, 'model')));
    // Exact equality on the cpu backend: same ops in the same order on the same float32 inputs.
    expect(await weights(killed)).toEqual(await weights(fresh.model));
    // Nothing half-done is left: no temp files or folders, no lock.
    expect((await tree(dir)).filter((p) => p.includes('.tmp-') || p.endsWith('.old'))).toEqual([]);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    killed.dispose();
    fresh.model.dispose();
  }, 300_000); // about 30 s on an idle 2-core machine: 13 child processes start; generous for a loaded one
});
