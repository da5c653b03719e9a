import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, disposeCheckpoint } from '../src/checkpoint';
import type { TrainConfig } from '../src/config';
import { featureDataset } from '../src/features/feature-dataset';
import { computeFeatureTable } from '../src/features/feature-table';
import { splitAtHead } from '../src/features/split-model';
import { train } from '../src/train';
import { orderedWeights } from '../src/weights';
import { patternDataset } from './helpers/datasets';
import { tinyResNet } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 16;
const tiny = () => tinyResNet(SIZE, 4, 3, 8);
const data = patternDataset(24, SIZE, 5);
const config: TrainConfig = { batchSize: 8, epochs: 2, lr: 0.01, seed: 1, augment: false, transfer: { freezeBackbone: true, cacheFeatures: true } };

function weights(model: tf.LayersModel): Float32Array[] {
  return orderedWeights(model).map((w) => w.read().dataSync() as Float32Array);
}

/**
 * The features a caller would cache: the backbone of an identical copy (as the demo's start is),
 * in the dataset's order, unaugmented.
 */
async function callerTable() {
  const copy = tiny();
  const table = await computeFeatureTable(splitAtHead(copy).backbone, data, { batchSize: 8, shuffle: false, augment: false, what: 'test images' });
  copy.dispose();
  return table;
}

describe('train with precomputed features', () => {
  it('trains the full model exactly as computing the cache itself does (unshuffled: the same row order), and checkpoints the full model', async () => {
    const own = tiny();
    await train({ model: own, train: data, ...config, shuffle: false });
    const given = tiny();
    const store = new MemoryCheckpointStore();
    const result = await train({ model: given, train: data, ...config, shuffle: false, store, precomputedFeatures: { train: await callerTable() } });
    expect(result.stopReason).toBe('completed');
    const [a, b] = [weights(own), weights(given)];
    expect(a.length).toBe(b.length);
    a.forEach((w, i) => expect(Array.from(b[i])).toEqual(Array.from(w)));
    const initial = tiny();
    expect(Array.from(weights(initial).at(-2)!)).not.toEqual(Array.from(b.at(-2)!)); // the head trained
    initial.dispose();
    const last = (await store.load('last'))!;
    // The full model, backbone included, not the head the steps ran on.
    expect(last.model.weightSpecs!.length).toBe(given.weights.length);
    expect(given.weights.length).toBeGreaterThan(2);
    disposeCheckpoint(last);
    for (const m of [own, given]) m.dispose();
  });

  it('shuffles rows given in dataset order from the first epoch on, reproducibly', async () => {
    const table = await callerTable();
    const features = featureDataset(table, { classNames: data.classNames, imageShape: data.imageShape, seed: 1, rows: 'dataset' });
    const firstRows = async (epoch: number, shuffle: boolean) => {
      const batch = (await features.batches({ batchSize: 24, epoch, shuffle }).next()).value!;
      const rows = Array.from(batch.xs.dataSync().slice(0, 24 * table.featureSize));
      tf.dispose([batch.xs, batch.ys]);
      return rows;
    };
    const inOrder = Array.from(table.features.slice(0, 24 * table.featureSize));
    expect(await firstRows(0, false)).toEqual(inOrder);
    const shuffled = await firstRows(0, true);
    expect(shuffled).not.toEqual(inOrder);
    expect(await firstRows(0, true)).toEqual(shuffled);
    expect(await firstRows(1, true)).not.toEqual(shuffled);
  });

  it('refuses a table of another size, naming it, and one given without cacheFeatures', async () => {
    const model = tiny();
    const table = await callerTable();
    const short = { ...table, rowsPerCopy: 20, labels: table.labels.slice(0, 20), features: table.features.slice(0, 20 * table.featureSize) };
    await expect(train({ model, train: data, ...config, precomputedFeatures: { train: short } })).rejects.toThrow(
      /precomputedFeatures of the training data: 20 rows x 1 copies, but the training data has 24 images/,
    );
    await expect(train({ model, train: data, ...config, transfer: { freezeBackbone: true }, precomputedFeatures: { train: table } })).rejects.toThrow(
      /set training.transfer.cacheFeatures/,
    );
    model.dispose();
  });
});
