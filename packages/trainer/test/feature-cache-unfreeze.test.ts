import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainBeginLogs, TrainerCallback } from '../src/callbacks/types';
import { MemoryCheckpointStore, disposeCheckpoint } from '../src/checkpoint';
import type { TrainConfig } from '../src/config';
import { train } from '../src/train';
import { orderedWeights } from '../src/weights';
import { patternDataset } from './helpers/datasets';
import { tinyResNet } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 16;
const tiny = (seed = 3) => tinyResNet(SIZE, 4, seed, 8);
const isHead = (name: string) => name.startsWith('predictions/');
const isUnfrozen = (name: string) => name.startsWith('conv3_') || isHead(name);

function weightMap(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(orderedWeights(model).map((w) => [w.originalName, w.read().dataSync().slice() as Float32Array]));
}

const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

describe('feature caching with unfreezing (cacheFeatures + unfreezeFrom)', () => {
  const data = patternDataset(32, SIZE, 5);
  // Epochs 0-1 train the head on cached features, epoch 2 trains from conv3_ on images.
  const config: TrainConfig = {
    batchSize: 16,
    lr: 0.01,
    seed: 1,
    epochs: 3,
    transfer: { freezeBackbone: true, cacheFeatures: {}, unfreezeFrom: 'conv3_', unfreezeEpoch: 2, backboneLrScale: 0.5 },
  };

  it('trains only the head before unfreezeEpoch, then the unfrozen backbone layers on images at the backbone lr scale', async () => {
    const model = tiny();
    const initial = weightMap(model);
    let beforeUnfreeze = new Map<string, Float32Array>();
    const begin: TrainBeginLogs[] = [];
    const scales: number[] = [];
    const seenData: boolean[] = [];
    const spy: TrainerCallback = {
      onTrainBegin: (logs) => void begin.push(logs),
      onEpochEnd: (epoch, _logs, ctx) => void (epoch === 1 && (beforeUnfreeze = weightMap(ctx.model))),
      onBatchEnd: (_batch, _logs, ctx) => void scales.push(ctx.weightLrScales.get('conv3_block1_1_conv/kernel') ?? 1),
      onEpochBegin: (_epoch, ctx) => void seenData.push(ctx.trainData === data && ctx.valData === data),
    };
    const result = await train({ model, train: data, val: data, ...config, callbacks: [spy] });
    expect(result.epochsCompleted).toBe(3);
    expect(begin[0].featureCache?.images).toBe(32);
    for (const [name, values] of initial) {
      const kept = same(beforeUnfreeze.get(name)!, values);
      expect(kept, `${name} before unfreezeEpoch`).toBe(!isHead(name));
    }
    const after = weightMap(model);
    for (const [name, values] of initial) {
      // Moving BatchNorm statistics of unfrozen layers may stay put; their kernels must move.
      if (isUnfrozen(name) && !name.includes('moving')) expect(same(after.get(name)!, beforeUnfreeze.get(name)!), `${name} after unfreezeEpoch`).toBe(false);
      if (!isUnfrozen(name)) expect(same(after.get(name)!, values), `${name} stays frozen`).toBe(true);
    }
    expect(scales.at(-1)).toBe(0.5);
    // Callbacks see the feature datasets while caching, the images once the model trains on them.
    expect(seenData).toEqual([false, false, true]);
    model.dispose();
  });

  it('resumes before unfreezeEpoch on a recomputed cache and after it on images, as an uninterrupted run', async () => {
    const whole = tiny();
    await train({ model: whole, train: data, ...config });
    const expected = weightMap(whole);
    for (const stopAfter of [0, 1]) {
      const store = new MemoryCheckpointStore();
      const first = tiny();
      const stop: TrainerCallback = { onEpochEnd: (epoch, _logs, ctx) => void (epoch === stopAfter && ctx.stop('test')) };
      await train({ model: first, train: data, ...config, store, callbacks: [stop] });
      const checkpoint = (await store.load('last'))!;
      const resumed = tiny(99); // other weights: the checkpoint's load
      const begin: TrainBeginLogs[] = [];
      await train({ model: resumed, train: data, ...config, resumeFrom: checkpoint, callbacks: [{ onTrainBegin: (logs) => void begin.push(logs) }] });
      disposeCheckpoint(checkpoint);
      // Resumed at epoch 1 it caches again; at epoch 2 (= unfreezeEpoch) it trains on images from the start.
      expect(begin[0].featureCache !== undefined, `resumed after epoch ${stopAfter}`).toBe(stopAfter + 1 < 2);
      const got = weightMap(resumed);
      for (const [name, values] of expected) expect(same(got.get(name)!, values), `${name}, resumed after epoch ${stopAfter}`).toBe(true);
      for (const m of [first, resumed]) m.dispose();
    }
    whole.dispose();
  });

  it('refuses caching with unfreezing at epoch 0, naming the keys', async () => {
    const model = tiny();
    await expect(train({ model, train: data, epochs: 1, transfer: { freezeBackbone: true, unfreezeFrom: 'conv3_', cacheFeatures: {} } })).rejects.toThrow(
      /training\.transfer\.cacheFeatures: with training\.transfer\.unfreezeFrom .* set training\.transfer\.unfreezeEpoch \(--unfreeze-epoch\) to 1 or more/,
    );
    model.dispose();
  });
});
