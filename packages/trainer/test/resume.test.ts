import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeRun, trainRun } from '../src/node/run';
import { orderedWeights } from '../src/weights';
import { BACKEND, scenario } from './fixtures/resume-scenario';
import { bundleChild } from './helpers/child-bundle';

const here = dirname(fileURLToPath(import.meta.url));
let work: string;

beforeAll(async () => {
  await tf.setBackend(BACKEND);
  work = await mkdtemp(join(tmpdir(), 'trainer-resume-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the child until it reports `step pauseAt`, then SIGKILLs it. */
function runAndKill(script: string, runDir: string, pauseAt: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, runDir, String(pauseAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`step ${pauseAt}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal ? resolvePromise(signal) : reject(new Error(`child exited with ${code} before step ${pauseAt}:\n${out}\n${err}`)),
    );
  });
}

async function weights(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(orderedWeights(model).map(async (w) => ((await w.read().data()) as Float32Array).slice()));
}

describe('checkpoints and resume', () => {
  it('resumes a run SIGKILLed mid-epoch to exactly the weights of an uninterrupted run', async () => {
    const script = await bundleChild('resume-child.ts');
    const killedDir = join(work, 'killed');
    // 5 steps per epoch, checkpoints every 2 steps: killed at step 7 (epoch 2, batch 2), the last
    // checkpoint is step 6, mid-epoch.
    expect(await runAndKill(script, killedDir, 7)).toBe('SIGKILL');
    await rm(script, { force: true });
    const state = JSON.parse(await readFile(join(killedDir, 'checkpoints', 'last', 'state.json'), 'utf8')).state;
    expect(state).toMatchObject({ step: 6, epoch: 1, batchInEpoch: 1 });

    const fresh = scenario(join(work, 'fresh'));
    const uninterrupted = await trainRun(fresh);

    const { model: resumedModel, ...rest } = scenario(killedDir);
    resumedModel.dispose();
    const resumed = await resumeRun(rest);

    expect(resumed.result.step).toBe(uninterrupted.result.step);
    expect(resumed.result.history.map((h) => h.val_loss)).toEqual(uninterrupted.result.history.map((h) => h.val_loss));
    expect(resumed.result.history.map((h) => h.loss)).toEqual(uninterrupted.result.history.map((h) => h.loss));
    // Exact equality on the cpu backend: same ops in the same order on the same float32 inputs.
    expect(await weights(resumed.model)).toEqual(await weights(fresh.model));
    expect(resumed.evaluation?.accuracy).toBe(uninterrupted.evaluation?.accuracy);
    resumed.model.dispose();
    fresh.model.dispose();
  });

  it('resumes a run folder written by 0.1 to the weights of an uninterrupted run of today', async () => {
    // run-v0.1: the scenario stopped at step 7 by 0.1's trainer (mid-epoch `last`, `best` of epoch 1,
    // EMA and restore-best state in 0.1's per-feature fields).
    const copy = join(work, 'v0.1');
    await cp(join(here, 'fixtures', 'run-v0.1'), copy, { recursive: true });
    const { model: unused, ...rest } = scenario(copy);
    unused.dispose();
    const resumed = await resumeRun(rest);
    expect(resumed.result.step).toBe(15);
    // 0.1 recorded its default of then, no precise BN: today's uninterrupted run with the same setting.
    const fresh = scenario(join(work, 'fresh-v0.1'));
    await trainRun({ ...fresh, preciseBnBatches: 0 });
    // 0.1 averaged as decay * ema + (1 - decay) * w, today as ema + (1 - decay) * (w - ema) (exact for
    // frozen weights): its first 7 EMA updates round differently in the last bits, nothing else differs.
    const [a, b] = [await weights(resumed.model), await weights(fresh.model)];
    a.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)))));
    const state = JSON.parse(await readFile(join(copy, 'checkpoints', 'last', 'state.json'), 'utf8'));
    expect(state.state.version).toBe(2);
    expect(Object.keys(state.state.callbacks).sort()).toEqual(['checkpoint', 'early-stopping', 'ema']);
    expect(state.tensors.sort()).toEqual(['early-stopping', 'ema']);
    resumed.model.dispose();
    fresh.model.dispose();
  });

  it('writes metrics.jsonl, history.csv, the final model and a self-contained report', async () => {
    const dir = join(work, 'fresh');
    const jsonl = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.filter((r) => r.type === 'epoch')).toHaveLength(3);
    expect(jsonl.filter((r) => r.type === 'step').length).toBe(15);
    expect(jsonl.at(-1)).toMatchObject({ type: 'evaluation', count: 12 });
    const csv = (await readFile(join(dir, 'history.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('epoch,step,loss,accuracy,top5,val_loss,val_accuracy,val_top5,lr,seconds,imagesPerSecond');
    expect(csv).toHaveLength(4);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Confusion matrix');
    expect(html).toMatch(/data:image\/png;base64,iVBORw0KGgo/);
    expect(html).not.toMatch(/https?:\/\/|<script/);
    const model = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
    expect(model.modelTopology).toBeDefined();
  });

  it('refuses to start a new run in a folder that already holds one', async () => {
    await expect(trainRun(scenario(join(work, 'fresh')))).rejects.toThrow(/already holds a training run: resume it/);
  });
});
