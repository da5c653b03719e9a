import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeCheckpoint } from '../src/checkpoint';
import { KeyValueCheckpointStore, type KeyValueStore } from '../src/key-value-store';
import { train } from '../src/train';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet, weightsOf } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Like IndexedDB: values are structured-cloned on the way in and out. */
function mapStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => structuredClone(map.get(key)),
    put: async (key, value) => void map.set(key, structuredClone(value)),
  };
}

describe('key-value checkpoint store (IndexedDB layout)', () => {
  it('a run stopped mid-epoch and resumed from the store matches an uninterrupted run exactly', async () => {
    const settings = { epochs: 2, batchSize: 4, optimizer: { type: 'sgd', momentum: 0.9, nesterov: true } as const, lr: 0.05, schedule: { type: 'one-cycle' } as const };
    const data = () => ({ train: randomDataset(12, 3, 8, 4), val: randomDataset(6, 3, 8, 5) });

    const reference = tinyConvNet(8, 3, 5);
    await train({ model: reference, ...data(), ...settings });

    const store = new KeyValueCheckpointStore(mapStore(), 'run');
    const first = tinyConvNet(8, 3, 5);
    const stopped = await train({
      model: first, ...data(), ...settings, store,
      callbacks: [{ onBatchEnd: (_b, logs, ctx) => (logs.step === 4 ? ctx.stop('test') : undefined) }],
    });
    expect(stopped).toMatchObject({ stopReason: 'stopped', step: 4 });

    const checkpoint = (await store.load('last'))!;
    expect(checkpoint.state).toMatchObject({ epoch: 1, batchInEpoch: 1, step: 4 });
    const resumedModel = tinyConvNet(8, 3, 99); // different init: the checkpoint's weights replace it
    const resumed = await train({ model: resumedModel, ...data(), resumeFrom: checkpoint });
    disposeCheckpoint(checkpoint);
    expect(resumed.step).toBe(6);
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(reference));
    for (const m of [reference, first, resumedModel]) m.dispose();
  });

  it('returns null for a missing tag and rejects foreign records', async () => {
    const kv = mapStore();
    const store = new KeyValueCheckpointStore(kv, 'x');
    expect(await store.load('best')).toBeNull();
    await kv.put('x/last', { hello: 1 });
    await expect(store.load('last')).rejects.toThrow(/x\/last: not a resnet-ts checkpoint record/);
  });
});
