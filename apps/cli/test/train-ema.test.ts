import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMA, type Recipe } from '@resnet-ts/trainer';
import { runCli } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-ema-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function printedEma(args: readonly string[]): Recipe['training']['ema'] {
  const result = runCli(['train', ...args, '--print-recipe'], {}, { cwd: work });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Recipe).training.ema;
}

describe('resnet train EMA flags', () => {
  it('trains with the default EMA; each flag changes only its own setting of it; --no-ema turns it off', () => {
    expect(printedEma([])).toEqual({ decay: 0.999, every: 8, warmup: true });
    expect(printedEma(['--ema', '0.99'])).toEqual({ ...DEFAULT_EMA, decay: 0.99 });
    expect(printedEma(['--ema-every', '1', '--no-ema-warmup'])).toEqual({ ...DEFAULT_EMA, every: 1, warmup: false });
    expect(printedEma(['--no-ema'])).toBe(false);
  });

  it('takes the same settings from a flat config file, and refuses EMA settings with --no-ema', () => {
    const file = path.join(work, 'ema.yaml');
    writeFileSync(file, 'emaEvery: 2\nema: 0.9\n');
    expect(printedEma(['--config', file])).toEqual({ ...DEFAULT_EMA, decay: 0.9, every: 2 });
    const refused = runCli(['train', '--no-ema', '--ema-every', '2', '--print-recipe'], {}, { cwd: work });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--ema-every and --ema-warmup set up the weight EMA that --no-ema turns off');
  });

  it('a recipe file keeps the meaning its ema section had: fields left out are every step, no warmup', () => {
    const file = path.join(work, 'recipe.yaml');
    writeFileSync(file, 'training:\n  ema: { decay: 0.99 }\n');
    expect(printedEma(['--config', file])).toEqual({ decay: 0.99 });
  });
});
