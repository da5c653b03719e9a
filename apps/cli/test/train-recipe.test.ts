import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listOptimizers, parseRecipe, type Recipe } from '@resnet-ts/trainer';
import { createProgram } from '../src/program';
import { RECIPE_FLAGS } from '../src/commands/train-recipe';
import { runCli } from './run-cli';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const example = path.join(repoRoot, 'examples', 'signs-recipe.yaml');
const work = mkdtempSync(path.join(tmpdir(), 'resnet-train-recipe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a config file into the work folder and returns its path. */
function config(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

/** `resnet train ... --print-recipe` in the work folder: the recipe it would train. */
function printedRecipe(args: readonly string[]): Recipe {
  const result = runCli(['train', ...args, '--print-recipe'], {}, { cwd: work });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Recipe;
}

/** A failing `resnet train` in the work folder; nothing may be left behind there. */
function usageError(args: readonly string[]): string {
  const before = readdirSync(work).sort();
  const result = runCli(['train', ...args], {}, { cwd: work });
  expect(result.code, result.stderr).toBe(2);
  expect(readdirSync(work).sort()).toEqual(before);
  return result.stderr;
}

describe('resnet train recipe', () => {
  it('maps every recipe flag of `resnet train` into the recipe, and nothing else', () => {
    const train = createProgram().commands.find((command) => command.name() === 'train')!;
    const flags = train.options.map((option) => option.attributeName());
    // Run settings outside the recipe: where and how the run executes (the engine steps the same recipe).
    const runFlags = ['config', 'resume', 'out', 'json', 'printRecipe', 'keepCheckpoints', 'verbose', 'engine', 'executionProvider'];
    expect([...new Set(flags)].filter((flag) => !runFlags.includes(flag)).sort()).toEqual([...RECIPE_FLAGS].sort());
  });

  it('`optimizer: nadam` in a YAML config exits 2 naming the file, the key and the optimizers, before any run folder exists', () => {
    const file = config('nadam.yaml', 'optimizer: nadam\nepochs: 1\n');
    const stderr = usageError(['--config', file, '--out', path.join(work, 'run-nadam')]);
    expect(stderr).toContain(`--config ${file}: optimizer: "nadam" is not one of ${listOptimizers().join(', ')}`);
    expect(existsSync(path.join(work, 'run-nadam'))).toBe(false);
    // Without --out neither: no runs/ folder.
    usageError(['--config', file]);
  });

  it('`epochs: "2"` in a YAML config exits 2 naming epochs, before the data is opened', () => {
    const file = config('epochs.yaml', 'epochs: "2"\n');
    expect(usageError(['--config', file])).toContain(`--config ${file}: epochs: expected a number, got "2"`);
  });

  it('`imageSize: [100000, 100000]` in a recipe file exits 2 naming the key and the bounds, before anything is allocated', () => {
    const file = config('huge.yaml', 'data:\n  kind: synthetic\n  imageSize: [100000, 100000]\n');
    expect(usageError(['--config', file])).toContain(`--config ${file}: data.imageSize: must be from 32 to 2048 for a ResNet, got [100000, 100000]`);
  });

  it('names the key path of a nested recipe file, and the flag of a value that needs another', () => {
    const nested = config('nested.yaml', 'training:\n  optimizer: { type: nadam }\n  epoch: 3\n');
    const stderr = usageError(['--config', nested]);
    expect(stderr).toContain(`--config ${nested}: training.optimizer.type: "nadam" is not one of ${listOptimizers().join(', ')}`);
    expect(stderr).toContain(`--config ${nested}: training.epoch: not a key of training (its keys: epochs, batchSize,`);
    expect(usageError(['--schedule', 'step'])).toContain('training.schedule.everyEpochs (--step-every): required (a number)');
    expect(usageError(['--config', config('model.yaml', 'model: { name: resnet9 }\n')])).toContain('model.name: "resnet9" is not one of resnet18,');
  });

  it('--h5-keys names the HDF5 datasets in data.hdf5Keys, for HDF5 data only', () => {
    const file = config('course.h5', '');
    expect(printedRecipe(['--data', file, '--h5-keys', 'x_train,y_train,classes']).data).toMatchObject({ kind: 'hdf5', hdf5Keys: { x: 'x_train', y: 'y_train', classes: 'classes' } });
    expect(usageError(['--data', work, '--h5-keys', 'x,y'])).toContain('--h5-keys (data.hdf5Keys): only for kind hdf5, not folder');
  });

  it('still reads a flat config of flag names, under the flags and over the quickstart preset', () => {
    const flat = config('flat.yaml', 'model: resnet18\nepochs: 2\ninputSize: 48\noptimizer: sgd\nmomentum: 0.8\nearlyStopping: 3\naugment: true\nout: runs/flat\n');
    const recipe = printedRecipe(['--config', flat, '--epochs', '3', '--seed', '5']);
    expect(recipe.model).toEqual({ name: 'resnet18', zeroInitResidual: true, seed: 5, weights: null });
    expect(recipe.data).toMatchObject({ kind: 'synthetic', imageSize: [48, 48], augmentation: true, seed: 5, synthetic: { trainCount: 768, valCount: 96 } });
    expect(recipe.training).toMatchObject({
      epochs: 3,
      seed: 5,
      optimizer: { type: 'sgd', momentum: 0.8 },
      earlyStopping: { patience: 3 },
      clipNorm: 1,
      preciseBnBatches: 8,
    });
  });

  it('a nested recipe file merges over the defaults; a flag of another optimizer replaces its settings', () => {
    const file = config('recipe.json', JSON.stringify({ data: { kind: 'synthetic', synthetic: { difficulty: 'hard' } }, training: { optimizer: { type: 'sgd', momentum: 0.9 }, lr: 0.1 } }));
    const recipe = printedRecipe(['--config', file, '--optimizer', 'adam']);
    expect(recipe.training.optimizer).toEqual({ type: 'adam' });
    expect(recipe.training.lr).toBe(0.1);
    expect(recipe.data).toMatchObject({ imageSize: [32, 32], synthetic: { difficulty: 'hard', trainCount: 768 } });
  });

  it('ships a documented example recipe that validates, and keeps its values when --data replaces its data', () => {
    const text = readFileSync(example, 'utf8');
    const recipe = parseRecipe(parseYaml(text), example);
    expect(recipe.data).toMatchObject({ kind: 'folder', path: '../shared/datasets/signs', imageSize: [64, 64] });
    expect(recipe.training).toMatchObject({ epochs: 20, batchSize: 32, lr: 0.001, optimizer: { type: 'adam' } });
    const printed = printedRecipe(['--config', example, '--data', 'synthetic']);
    expect(printed.data).toMatchObject({ kind: 'synthetic', imageSize: [64, 64] });
    // The file's values win over the quickstart preset that synthetic data brings.
    expect(printed.training).toEqual(recipe.training);
  });

  it('explains the recipe and the config file in --help', () => {
    const result = runCli(['train', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['Recipe:', 'resnet-ts/recipe', 'defaults < the quickstart preset', '--print-recipe', 'examples/signs-recipe.yaml']) {
      expect(result.stdout).toContain(text);
    }
  });
});
