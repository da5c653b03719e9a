import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(cliRoot, 'dist', 'cli.js');
const work = mkdtempSync(path.join(tmpdir(), 'resnet-learning-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface TrainJson {
  steps: number;
  history: Array<{ val_accuracy?: number }>;
  evaluation: { accuracy: number; count: number };
}

// The fixed budget: 8 epochs of 24 steps of 32 images (192 steps), ResNet18 at 32x32 from scratch
// (Adam 1e-3, zero-initialised residual branches, gradients clipped to norm 1: the synthetic
// defaults), on the default easy synthetic shapes. The validation images are drawn apart from the
// training ones. --seed 0 also seeds the weights, so every run starts from the same network and data
// order (before the weights were seeded, two runs reached 95 % and 96 % by step 144).
// About two minutes on 2 cores, so one run.
describe('learning', () => {
  it('ResNet18 reaches >= 90 % validation accuracy on synthetic shapes within 192 steps', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RESNET_')));
    const args = [
      '--backend', 'wasm', 'train', '--model', 'resnet18', '--epochs', '8', '--steps-per-epoch', '24',
      '--synthetic-train', '768', '--synthetic-val', '192', '--seed', '0', '--out', path.join(work, 'run'), '--json',
    ];
    const result = spawnSync(process.execPath, [binary, ...args], { cwd: work, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 900_000 });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`resnet ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    const trained = JSON.parse(result.stdout) as TrainJson;
    expect(trained.steps).toBe(192);
    expect(trained.evaluation.count).toBe(192);
    expect(trained.evaluation.accuracy).toBeGreaterThanOrEqual(0.9);
    // It learned during the run rather than starting there: chance is 1/6.
    expect(trained.history[0].val_accuracy ?? 1).toBeLessThan(0.9);
  }, 900_000);
});
