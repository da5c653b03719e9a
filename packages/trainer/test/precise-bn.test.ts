import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recalibrateBatchNorm } from '../src/precise-bn';
import { arrayDataset } from './helpers/datasets';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('precise BN', () => {
  it('sets moving means to the average of the batch means and restores the momentum', async () => {
    const input = tf.input({ shape: [1, 1, 3] });
    const bn = tf.layers.batchNormalization({ name: 'bn', momentum: 0.99 });
    const model = tf.model({ inputs: input, outputs: bn.apply(input) as tf.SymbolicTensor });
    // Two batches of two images: batch means 1 and 3 (after the dataset's seeded shuffle, any order).
    const images = [0, 2, 2, 4].map((v) => new Float32Array([v, v, v]));
    const data = arrayDataset({ images, labels: [0, 0, 1, 1], classNames: ['a', 'b'], imageShape: [1, 1, 3], seed: 1 });
    const before = tf.memory().numTensors;
    const used = await recalibrateBatchNorm(model, data, { batches: 2, batchSize: 2, epoch: 0 });
    expect(used).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
    const mean = Array.from(bn.getWeights()[2].dataSync());
    const batchMeans: number[] = [];
    for await (const b of data.batches({ batchSize: 2, epoch: 0, shuffle: true })) {
      batchMeans.push(b.xs.mean().dataSync()[0]);
      tf.dispose([b.xs, b.ys]);
    }
    const expected = (batchMeans[0] + batchMeans[1]) / 2;
    mean.forEach((m) => expect(m).toBeCloseTo(expected, 5));
    expect((bn as unknown as { momentum: number }).momentum).toBe(0.99);
    model.dispose();
  });
});
