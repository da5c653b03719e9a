import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { NORMALIZATION_PRESETS } from '@resnet-ts/data';
import { MODEL_CARD_NORMALIZATIONS, readModelCard, writeModelCard } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunModel } from '../src/node/run';
import { tinyConvNet } from './helpers/models';

const runV01 = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'run-v0.1');
let dir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'trainer-model-card-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('model cards in run folders', () => {
  it("names exactly the data pipeline's normalization presets", () => {
    expect([...MODEL_CARD_NORMALIZATIONS].sort()).toEqual([...NORMALIZATION_PRESETS].sort());
  });

  it("loadRunModel reads a model folder's card", async () => {
    const model = tinyConvNet(8, 3);
    const card = { ...readModelCard(model).card, classNames: ['a', 'b', 'c'], weights: { source: 'trained' as const } };
    card.preprocessing.normalization = 'tf';
    writeModelCard(model, card);
    await model.save(fileIO(join(dir, 'carded')));
    model.dispose();
    const loaded = await loadRunModel(join(dir, 'carded'));
    expect(loaded.card).toEqual(card);
    expect(loaded.cardNotice).toBeUndefined();
    loaded.model.dispose();
  });

  it('reads a 0.1 run folder without a card: class names from run.json, a notice for the normalization it assumes', async () => {
    const loaded = await loadRunModel(runV01);
    expect(loaded.source).toBe(join(runV01, 'checkpoints', 'best', 'model'));
    expect(loaded.card).toMatchObject({ architecture: { name: 'tiny' }, inputSize: [8, 8, 3], classNames: ['class0', 'class1', 'class2'], weights: { source: 'unknown' } });
    expect(loaded.card.preprocessing.normalization).toBe('unit');
    expect(loaded.cardNotice).toBe('no model card; assuming unit normalization');
    loaded.model.dispose();
  });

  it('refuses a run whose model.json lost its weights manifest, naming the file, instead of loading random weights', async () => {
    const run = join(dir, 'stripped-run');
    await cp(runV01, run, { recursive: true });
    const modelJson = join(run, 'checkpoints', 'best', 'model', 'model.json');
    const { weightsManifest: _dropped, ...json } = JSON.parse(await readFile(modelJson, 'utf8'));
    await writeFile(modelJson, JSON.stringify(json));
    await expect(loadRunModel(run)).rejects.toThrow(`${modelJson}: no "weightsManifest"`);
  });
});
