import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeCheckpoint, type CheckpointData } from '../src/checkpoint';
import { FolderCheckpointStore } from '../src/node/checkpoint-folder';
import { train } from '../src/train';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

let work: string;
let checkpoint: CheckpointData;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-tensors-'));
  const model = tinyConvNet(8, 3, 3);
  const dir = join(work, 'source');
  await train({ model, train: randomDataset(8, 3, 8, 1), epochs: 1, batchSize: 4, optimizer: { type: 'adam' }, store: new FolderCheckpointStore(dir) });
  model.dispose();
  checkpoint = (await new FolderCheckpointStore(dir).load('last'))!;
});
afterAll(async () => {
  disposeCheckpoint(checkpoint);
  await rm(work, { recursive: true, force: true });
});

describe('FolderCheckpointStore tensor files', () => {
  it('writes optimizer slots and float32, int32 and bool callback tensors that read back exactly', async () => {
    const tensors = { custom: { f: tf.tensor([1.5, -2, 3e-8], [3]), i: tf.tensor([7, -9], [2], 'int32'), b: tf.tensor([true, false, true], [3], 'bool') } };
    const state = { ...checkpoint.state, callbacks: {} };
    const store = new FolderCheckpointStore(join(work, 'copy'));
    await store.save('last', { ...checkpoint, state, tensors });
    const loaded = (await store.load('last'))!;
    try {
      for (const [key, slot] of Object.entries(checkpoint.optimizer.slots)) expect(Array.from(loaded.optimizer.slots[key].dataSync())).toEqual(Array.from(slot.dataSync()));
      for (const [key, tensor] of Object.entries(tensors.custom)) {
        const back = loaded.tensors.custom[key];
        expect([back.dtype, back.shape]).toEqual([tensor.dtype, tensor.shape]);
        expect(Array.from(back.dataSync())).toEqual(Array.from(tensor.dataSync()));
      }
    } finally {
      disposeCheckpoint(loaded);
      tf.dispose(Object.values(tensors.custom));
    }
  });

  it('refuses a string tensor, naming the file and the tensor', async () => {
    const words = tf.tensor(['a', 'bc']);
    const folder = join(work, 'strings');
    await expect(new FolderCheckpointStore(folder).save('last', { ...checkpoint, tensors: { custom: { words } } })).rejects.toThrow(
      /custom\.bin: tensor words is string; checkpoints hold float32, int32 and bool tensors/,
    );
    words.dispose();
  });
});
