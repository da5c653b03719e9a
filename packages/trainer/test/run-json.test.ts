import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecipe, recipeHash, type DataSourceSpec } from '../src/index';
import { loadRunModel, readRunInfo, trainRun } from '../src/node';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'run-v0.1');
let work: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-run-json-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function writeRun(name: string, json: unknown): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), JSON.stringify(json));
  return dir;
}

describe('run.json', () => {
  it('reads a run folder written by 0.1 (version 1) as a recipe', async () => {
    const info = await readRunInfo(fixture);
    expect(info).toMatchObject({ format: 'resnet-ts/run', version: 2, createdAt: '2026-12-01T20:59:19.765Z', classNames: ['class0', 'class1', 'class2'] });
    // 0.1's library runs recorded no data source: the datasets were given in code.
    expect(info!.recipe.data).toBeNull();
    expect(info!.recipe.model).toEqual({ name: 'tiny', zeroInitResidual: true, seed: 0, weights: null });
    expect(info!.recipe.training).toEqual(
      parseRecipe({
        training: {
          epochs: 3,
          batchSize: 8,
          lr: 0.005,
          optimizer: { type: 'adam' },
          schedule: { type: 'cosine', warmupEpochs: 1 },
          weightDecay: 0.01,
          labelSmoothing: 0.1,
          clipNorm: 1,
          earlyStopping: { patience: 10, monitor: 'val_loss' },
          checkpointEverySteps: 2,
          ema: { decay: 0.9 },
        },
      }).training,
    );
    expect(info!.recipeHash).toBe(recipeHash(info!.recipe));
  });

  it("reads 0.1's `resnet train` metadata (model, input size, zero-init, data) into the model and data sections", async () => {
    const data = { kind: 'synthetic', imageSize: [32, 32], normalization: 'unit', augmentation: false, seed: 0, synthetic: { trainCount: 768, valCount: 96, difficulty: 'easy' } };
    const dir = await writeRun('cli-v1', {
      format: 'resnet-ts/run',
      version: 1,
      createdAt: '2026-11-30T10:00:00.000Z',
      modelName: 'resnet50',
      classNames: ['circle', 'square'],
      config: {
        epochs: 4,
        batchSize: 32,
        augment: false,
        preciseBnBatches: 8,
        metadata: { model: 'resnet18', inputSize: 32, zeroInitResidual: false, data, note: 'kept' },
      },
    });
    const { recipe } = (await readRunInfo(dir))!;
    expect(recipe.model).toEqual({ name: 'resnet18', zeroInitResidual: false, seed: 0, weights: null });
    expect(recipe.data).toEqual(parseRecipe({ data }).data);
    expect(recipe.training).toMatchObject({ epochs: 4, augment: false, preciseBnBatches: 8, metadata: { note: 'kept' } });
  });

  it('writes version 2 (the recipe and its hash) and reads it back unchanged, as loadRunModel does', async () => {
    const runDir = join(work, 'v2');
    const model = tinyConvNet(8, 3, 5);
    const data: DataSourceSpec = { kind: 'memory', imageSize: [8, 8], seed: 3 };
    await trainRun({
      runDir,
      model,
      train: randomDataset(16, 3, 8, 1),
      val: randomDataset(8, 3, 8, 2),
      epochs: 1,
      batchSize: 8,
      lr: 1e-2,
      optimizer: { type: 'sgd', momentum: 0.5 },
      recipe: { model: { zeroInitResidual: false, seed: 7 }, data },
      reportImages: 0,
    });
    model.dispose();
    const json = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['format', 'version', 'createdAt', 'recipe', 'classNames', 'recipeHash']);
    const expected = parseRecipe({
      model: { name: 'tiny', zeroInitResidual: false, seed: 7 },
      data,
      training: { epochs: 1, batchSize: 8, lr: 1e-2, optimizer: { type: 'sgd', momentum: 0.5 } },
    });
    expect(json).toMatchObject({ format: 'resnet-ts/run', version: 2, recipe: expected, recipeHash: recipeHash(expected) });
    const info = await readRunInfo(runDir);
    expect(info).toEqual(json);
    const loaded = await loadRunModel(runDir);
    expect(loaded.recipe).toEqual(expected);
    loaded.model.dispose();
  });

  it('refuses run.json of a newer version or another format, naming the file', async () => {
    const newer = await writeRun('v3', { format: 'resnet-ts/run', version: 3 });
    await expect(readRunInfo(newer)).rejects.toThrow(/v3\/run.json: run.json version 3 is not one this resnet-ts reads \(1, 2\)/);
    const other = await writeRun('other', { format: 'keras', version: 1 });
    await expect(readRunInfo(other)).rejects.toThrow(/other\/run.json: not a resnet-ts run/);
    const invalid = await writeRun('invalid', { format: 'resnet-ts/run', version: 2, recipe: { training: { epochs: '2' } } });
    await expect(readRunInfo(invalid)).rejects.toThrow(/invalid\/run.json \(recipe\): training.epochs: expected a number, got "2"/);
  });
});
