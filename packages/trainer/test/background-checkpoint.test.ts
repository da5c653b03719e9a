import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointData, CheckpointStore, CheckpointTag } from '../src/checkpoint';
import { train } from '../src/train';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const settings = { epochs: 2, batchSize: 4, lr: 0.05, checkpointEverySteps: 1 };
const data = () => ({ train: randomDataset(12, 3, 8, 4), val: randomDataset(6, 3, 8, 5) });

/** A store that takes `delayMs` to write and records what it got, as it was when written. */
function slowStore(delayMs: number, failAt?: number) {
  const written: { tag: CheckpointTag; step: number; epochCount: number; history: number }[] = [];
  let calls = 0;
  const store: CheckpointStore = {
    async save(tag: CheckpointTag, checkpoint: CheckpointData) {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (calls === failAt) throw new Error('disk full (test)');
      const { state } = checkpoint;
      written.push({ tag, step: state.step, epochCount: state.epochTotals.count, history: state.history.length });
    },
    load: async () => null,
  };
  return { store, written };
}

describe('checkpoints written in the background', () => {
  it('writes every checkpoint as it was when taken, in order, before train returns', async () => {
    const { store, written } = slowStore(30);
    const model = tinyConvNet(8, 3, 5);
    const result = await train({ model, ...data(), ...settings, store });
    model.dispose();
    // 3 steps an epoch: `last` after steps 1 and 2 (mid-epoch) and at each epoch end, `best` when val improves.
    const last = written.filter((w) => w.tag === 'last');
    expect(last.map((w) => w.step)).toEqual([1, 2, 3, 4, 5, 6]);
    // The loop went on while each was written; each still holds the state of its own step.
    expect(last.map((w) => w.epochCount)).toEqual([4, 8, 0, 4, 8, 0]);
    expect(last.map((w) => w.history)).toEqual([0, 0, 1, 1, 1, 2]);
    expect(written.at(-1)).toMatchObject({ tag: 'last', step: result.step });
  });

  it('a failed write fails the run with its error', async () => {
    const { store } = slowStore(5, 2);
    const model = tinyConvNet(8, 3, 5);
    await expect(train({ model, ...data(), ...settings, store })).rejects.toThrow('disk full (test)');
    model.dispose();
  });
});
