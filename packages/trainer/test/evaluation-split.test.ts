import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingDataset } from '../src/dataset';
import { defaultEvaluationSplit, evaluationDataset, type OpenedData } from '../src/node/index';

/** A dataset of `size` examples whose single pixel holds the example's number plus `offset`. */
function numbered(size: number, offset: number): TrainingDataset {
  return {
    classNames: ['a', 'b'],
    size,
    imageShape: [1, 1, 1] as unknown as [number, number, number],
    async *batches({ batchSize }) {
      for (let start = 0; start < size; start += batchSize) {
        const n = Math.min(batchSize, size - start);
        yield { xs: tf.tensor4d(Array.from({ length: n }, (_, i) => offset + start + i), [n, 1, 1, 1]), ys: tf.oneHot(tf.zeros([n], 'int32'), 2) as tf.Tensor2D };
      }
    },
  };
}

const opened = (parts: Partial<Pick<OpenedData, 'test'>> & { explicitSplits?: boolean } = {}): OpenedData => ({
  train: numbered(5, 0),
  val: numbered(2, 100),
  classNames: ['a', 'b'],
  explicitSplits: false,
  skipped: () => [],
  dispose: async () => {},
  ...parts,
});

beforeAll(() => tf.setBackend('cpu'));

describe('evaluation splits', () => {
  it('defaults to test, then all of new plain folders and CSVs and named HDF5 keys, else val', () => {
    const withTest = opened({ test: numbered(3, 200), explicitSplits: true });
    expect(defaultEvaluationSplit({ kind: 'folder' }, withTest, true)).toBe('test');
    expect(defaultEvaluationSplit({ kind: 'folder' }, opened(), false)).toBe('all');
    expect(defaultEvaluationSplit({ kind: 'csv' }, opened(), false)).toBe('all');
    expect(defaultEvaluationSplit({ kind: 'folder' }, opened(), true)).toBe('val');
    expect(defaultEvaluationSplit({ kind: 'folder' }, opened({ explicitSplits: true }), false)).toBe('val');
    expect(defaultEvaluationSplit({ kind: 'hdf5' }, opened(), false)).toBe('val');
    expect(defaultEvaluationSplit({ kind: 'hdf5', hdf5Keys: { x: 'x', y: 'y' } }, opened(), false)).toBe('all');
    expect(defaultEvaluationSplit({ kind: 'synthetic' }, opened({ explicitSplits: true }), false)).toBe('val');
  });

  it('reads every example once for all, and names the splits a source has when one is missing', async () => {
    const all = evaluationDataset(opened({ test: numbered(3, 200) }), 'all', 'data');
    expect(all.size).toBe(10);
    const seen: number[] = [];
    for await (const { xs, ys } of all.batches({ batchSize: 4, shuffle: false, augment: false })) {
      seen.push(...(await xs.data()));
      tf.dispose([xs, ys]);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 100, 101, 200, 201, 202]);
    expect(() => evaluationDataset(opened(), 'test', 'photos/')).toThrow('photos/ has no test split (it has: all, train, val)');
  });
});
