import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-feature-cache-'));
// Tiny budget: resnet18 at the smallest input, 8 training and 8 validation images, on wasm.
const tiny = ['--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--synthetic-train', '8', '--synthetic-val', '8'];
const wasm = ['--backend', 'wasm', '--threads', '1'];

afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (args: readonly string[]) => runCli(args, {}, { cwd: work, timeoutMs: 300_000 });

describe('resnet train --freeze-backbone --cache-features', () => {
  it('trains the head on cached features, says what it cached and records it in run.json', () => {
    const runDir = path.join(work, 'cached');
    const result = cli([...wasm, 'train', ...tiny, '--freeze-backbone', '--cache-features', '--augmented-copies', '2', '--epochs', '2', '--out', runDir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    // 8 training images x 2 copies + 8 validation images, 512 ResNet18 features each.
    expect(result.stderr).toMatch(/cached 24 backbone features of 512 floats \(8 training images x 2 copies, plus validation; 0\.0 MiB\) in \d+\.\d s/);
    expect(JSON.parse(result.stdout)).toMatchObject({ steps: 4, epochs: 2, evaluation: { count: 8 } });
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run.recipe.training).toMatchObject({ transfer: { freezeBackbone: true, cacheFeatures: { augmentedCopies: 2 } } });
    // Precise BN (the default) runs, and leaves the frozen backbone's statistics alone (see the trainer's feature-cache tests).
    expect(run.recipe.training.preciseBnBatches).toBe(8);
  });

  it('is a usage error (exit 2) without --freeze-backbone, and --augmented-copies without --cache-features', () => {
    const alone = cli(['train', ...tiny, '--cache-features', '--print-recipe']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--cache-features \(training\.transfer\.cacheFeatures\): .*--freeze-backbone/);
    const copies = cli(['train', ...tiny, '--freeze-backbone', '--augmented-copies', '3', '--print-recipe']);
    expect(copies.code).toBe(2);
    expect(copies.stderr).toContain('--augmented-copies counts cached features: add --cache-features');
  });

  it('takes --unfreeze-from with --unfreeze-epoch K (cached head until K), and refuses it without K', () => {
    const unfreeze = ['--freeze-backbone', '--cache-features', '--unfreeze-from', 'conv5_'];
    const recipe = cli(['train', ...tiny, ...unfreeze, '--unfreeze-epoch', '2', '--print-recipe']);
    expect(recipe.code, recipe.stderr).toBe(0);
    expect(JSON.parse(recipe.stdout).training.transfer).toEqual({ freezeBackbone: true, cacheFeatures: true, unfreezeFrom: 'conv5_', unfreezeEpoch: 2 });
    const noEpoch = cli(['train', ...tiny, ...unfreeze, '--print-recipe']);
    expect(noEpoch.code).toBe(2);
    expect(noEpoch.stderr).toMatch(/--cache-features \(training\.transfer\.cacheFeatures\): .*--unfreeze-epoch.* to 1 or more/);
  });
});
