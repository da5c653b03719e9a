import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createModel } from '@resnet-ts/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainBeginLogs, TrainerCallback } from '../src/callbacks/types';
import { MemoryCheckpointStore, disposeCheckpoint } from '../src/checkpoint';
import type { TrainConfig } from '../src/config';
import type { TrainingDataset } from '../src/dataset';
import { evaluate } from '../src/evaluate';
import { assertFeatureCacheFits } from '../src/features/feature-table';
import { splitAtHead } from '../src/features/split-model';
import { loadRunModel, trainRun } from '../src/node/run';
import { readRunInfo } from '../src/node/run-json';
import { train } from '../src/train';
import { orderedWeights } from '../src/weights';
import { patternDataset } from './helpers/datasets';
import { tinyResNet } from './helpers/models';

let work: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-features-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const SIZE = 16;
/** A two-stage residual net with Keras names (`avg_pool` -> `predictions`, 16 features), same weights per seed. */
const tiny = (seed = 3) => tinyResNet(SIZE, 4, seed, 8);
const headNames = ['predictions/kernel', 'predictions/bias'];

function weightMap(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(orderedWeights(model).map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

async function trainBoth(data: TrainingDataset, config: TrainConfig, cacheFeatures: { augmentedCopies?: number } = {}) {
  const uncached = tiny();
  const cached = tiny();
  const begin: TrainBeginLogs[] = [];
  const spy: TrainerCallback = { onTrainBegin: (logs) => void begin.push(logs) };
  await train({ model: uncached, train: data, ...config, transfer: { freezeBackbone: true } });
  await train({ model: cached, train: data, ...config, transfer: { freezeBackbone: true, cacheFeatures }, callbacks: [spy] });
  return { uncached, cached, begin: begin[0] };
}

describe('frozen-backbone feature caching', () => {
  const data = patternDataset(32, SIZE, 5);
  // No EMA: these runs of a few steps compare the cached head with the uncached one, step for step.
  const base: TrainConfig = { batchSize: 16, lr: 0.01, seed: 1, ema: false };

  it('splits a zoo ResNet at avg_pool; the head model shares the predictions layer', () => {
    const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 4 });
    const split = splitAtHead(model);
    expect(split.featureSize).toBe(512);
    expect(split.headLayer).toBe('predictions');
    expect(split.backbone.outputs[0].shape).toEqual([null, 512]);
    expect(split.head.trainableWeights.map((w) => w.originalName)).toEqual(headNames);
    expect(split.head.trainableWeights[0].read()).toBe(model.getLayer('predictions').getWeights()[0]);
    model.dispose();
  });

  it('gives the uncached frozen path\'s head weights after one step on the same batch (1e-5), and reports what it cached', async () => {
    const { uncached, cached, begin } = await trainBoth(data, { ...base, batchSize: 32, epochs: 1, augment: false, shuffle: false });
    const [a, b] = [weightMap(uncached), weightMap(cached)];
    const initial = weightMap(tiny());
    for (const name of headNames) {
      expect(maxDiff(a.get(name)!, initial.get(name)!)).toBeGreaterThan(1e-4);
      expect(maxDiff(a.get(name)!, b.get(name)!)).toBeLessThan(1e-5);
    }
    expect(begin.featureCache).toMatchObject({ images: 32, copies: 1, rows: 32, featureSize: 16, bytes: 32 * 16 * 4 });
    expect(begin.featureCache!.seconds).toBeGreaterThan(0);
    for (const m of [uncached, cached]) m.dispose();
  });

  it('cached augmented copies are the images\' own augmented epochs: same head as uncached over shuffled, flipped epochs', async () => {
    const { uncached, cached, begin } = await trainBoth(data, { ...base, epochs: 2, augment: true, shuffle: true }, { augmentedCopies: 2 });
    expect(begin.featureCache).toMatchObject({ copies: 2, rows: 64 });
    const [a, b] = [weightMap(uncached), weightMap(cached)];
    for (const name of headNames) expect(maxDiff(a.get(name)!, b.get(name)!)).toBeLessThan(1e-5);
    for (const m of [uncached, cached]) m.dispose();
  });

  it('reaches the uncached frozen path\'s accuracy within a point, never changes the backbone and frees its tensors', async () => {
    const val = patternDataset(32, SIZE, 9);
    const config: TrainConfig = { ...base, epochs: 6, lr: 0.05, augment: false, shuffle: false };
    const uncached = tiny();
    const cached = tiny();
    const initial = weightMap(cached);
    await train({ model: uncached, train: data, val, ...config, transfer: { freezeBackbone: true } });
    const before = tf.memory().numTensors;
    const result = await train({ model: cached, train: data, val, ...config, transfer: { freezeBackbone: true, cacheFeatures: {} } });
    expect(tf.memory().numTensors).toBe(before);
    const [ra, rb] = [await evaluate(uncached, val), await evaluate(cached, val)];
    expect(ra.accuracy).toBeGreaterThan(0.25 + 0.1); // the head learns something from frozen features
    expect(Math.abs(ra.accuracy - rb.accuracy)).toBeLessThanOrEqual(0.01);
    // Validation ran on cached val features: the same numbers as evaluating the full model on images.
    expect(result.history[5].val_accuracy).toBeCloseTo(rb.accuracy, 6);
    const after = weightMap(cached);
    for (const [name, values] of initial) {
      if (headNames.includes(name)) continue;
      expect(Buffer.from(after.get(name)!.buffer).equals(Buffer.from(values.buffer)), name).toBe(true);
    }
    for (const m of [uncached, cached]) m.dispose();
  });

  it('resumes from a checkpoint with the same head weights as an uninterrupted run', async () => {
    const config: TrainConfig = { ...base, epochs: 3, transfer: { freezeBackbone: true, cacheFeatures: {} } };
    const whole = tiny();
    await train({ model: whole, train: data, ...config });
    const store = new MemoryCheckpointStore();
    const first = tiny();
    const stopAfterOne: TrainerCallback = { onEpochEnd: (epoch, _logs, ctx) => void (epoch === 0 && ctx.stop('test')) };
    await train({ model: first, train: data, ...config, store, callbacks: [stopAfterOne] });
    const checkpoint = (await store.load('last'))!;
    const resumed = tiny(99); // other weights: the checkpoint's load
    await train({ model: resumed, train: data, ...config, resumeFrom: checkpoint });
    disposeCheckpoint(checkpoint);
    const [a, b] = [weightMap(whole), weightMap(resumed)];
    for (const [name, values] of a) expect(maxDiff(values, b.get(name)!), name).toBe(0);
    for (const m of [whole, first, resumed]) m.dispose();
  });

  it('saves the full model with the trained head in the run folder and records caching in run.json', async () => {
    const model = tiny();
    const runDir = join(work, 'cached-run');
    await trainRun({ runDir, model, train: data, val: data, ...base, epochs: 1, transfer: { freezeBackbone: true, cacheFeatures: { augmentedCopies: 2 } } });
    const trained = weightMap(model);
    const loaded = await loadRunModel(runDir);
    const saved = weightMap(loaded.model);
    expect(saved.size).toBe(trained.size);
    for (const [name, values] of trained) expect(maxDiff(values, saved.get(name)!), name).toBe(0);
    expect((await readRunInfo(runDir))!.recipe.training.transfer).toEqual({ freezeBackbone: true, cacheFeatures: { augmentedCopies: 2 } });
    expect(JSON.parse(await readFile(join(runDir, 'evaluation.json'), 'utf8')).count).toBe(32);
    for (const m of [model, loaded.model]) m.dispose();
  });

  it('refuses caching without a frozen backbone, and past the memory cap', async () => {
    const model = tiny();
    await expect(train({ model, train: data, epochs: 1, transfer: { cacheFeatures: {} } })).rejects.toThrow(
      /training\.transfer\.cacheFeatures: caches features of a frozen backbone: set training\.transfer\.freezeBackbone/,
    );
    expect(() => assertFeatureCacheFits(200_000, 2048, 'training data')).toThrow(
      /training data needs 200000 rows x 2048 floats = 1563 MiB, over the cache's 1024 MiB: ask for fewer augmented copies \(--augmented-copies\)/,
    );
    expect(() => assertFeatureCacheFits(131_072, 2048, 'training data')).not.toThrow();
    model.dispose();
  });
});
