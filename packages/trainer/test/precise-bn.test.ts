import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { recalibrateBatchNorm } from '../src/precise-bn';
import type { TrainerCallback } from '../src/callbacks/types';
import { train } from '../src/train';
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
  it('is on by default in train(): without validation data the final model holds the statistics of its last epoch', async () => {
    // Images -> BatchNorm -> classifier: the BatchNorm input is the images, so its precise mean is known.
    const makeModel = () => {
      const input = tf.input({ shape: [1, 1, 3] });
      const bn = tf.layers.batchNormalization({ name: 'bn', momentum: 0.99 }).apply(input) as tf.SymbolicTensor;
      const flat = tf.layers.flatten().apply(bn) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor });
    };
    const images = [0, 2, 2, 4, 6, 8, 10, 12].map((v) => new Float32Array([v, v + 1, v + 2]));
    const data = arrayDataset({ images, labels: [0, 0, 1, 1, 0, 1, 0, 1], classNames: ['a', 'b'], imageShape: [1, 1, 3], seed: 3 });
    const options = { train: data, epochs: 2, batchSize: 2, seed: 1 };
    const expected = [0, 0, 0];
    let k = 0;
    for await (const b of data.batches({ batchSize: 2, epoch: 1, shuffle: true, augment: false })) {
      if (++k > 3) {
        tf.dispose([b.xs, b.ys]);
        break;
      }
      b.xs.mean([0, 1, 2]).dataSync().forEach((m, c) => (expected[c] += m / 3));
      tf.dispose([b.xs, b.ys]);
    }
    const movingMean = (model: tf.LayersModel) => Array.from(model.getLayer('bn').getWeights()[2].dataSync());
    const precise = makeModel();
    await train({ model: precise, ...options, preciseBnBatches: 3 });
    movingMean(precise).forEach((m, c) => expect(m).toBeCloseTo(expected[c], 4));
    const byDefault = makeModel();
    await train({ model: byDefault, ...options });
    // 8 batches asked, 4 in an epoch: all of them.
    const all = [5.5, 6.5, 7.5];
    movingMean(byDefault).forEach((m, c) => expect(m).toBeCloseTo(all[c], 4));
    const off = makeModel();
    await train({ model: off, ...options, preciseBnBatches: 0 });
    // Keras's moving average after 8 steps from 0 at momentum 0.99: far below the images' mean.
    movingMean(off).forEach((m, c) => expect(m).toBeLessThan(all[c] / 5));
    for (const m of [precise, byDefault, off]) m.dispose();
  });
  it('with EMA: the averaged weights get statistics of their own, in validation and in the final model', async () => {
    // Images -> dense (no bias) -> BatchNorm -> classifier: the BatchNorm input depends on the weights EMA averages.
    const input = tf.input({ shape: [1, 1, 4] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const features = tf.layers.dense({ units: 3, useBias: false, name: 'features', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(flat) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn', momentum: 0.99 }).apply(features) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }).apply(bn) as tf.SymbolicTensor });
    const images = Array.from({ length: 16 }, (_, i) => new Float32Array([i % 5, (i * 3) % 7, 1 + (i % 2), i / 4]));
    const labels = images.map((_, i) => i % 2);
    const data = arrayDataset({ images, labels, classNames: ['a', 'b'], imageShape: [1, 1, 4], seed: 2 });
    const bnInputs = tf.model({ inputs: input, outputs: features });
    const preciseMean = async (epoch: number) => {
      const sums = [0, 0, 0];
      let k = 0;
      for await (const b of data.batches({ batchSize: 4, epoch, shuffle: true, augment: false })) {
        if (k++ < 2) tf.tidy(() => (bnInputs.predict(b.xs) as tf.Tensor).mean(0).dataSync().forEach((m, c) => (sums[c] += m / 2)));
        tf.dispose([b.xs, b.ys]);
      }
      return sums;
    };
    const movingMean = () => Array.from(model.getLayer('bn').getWeights()[2].dataSync());
    const validated: { ours: number[]; expected: number[] }[] = [];
    const probe: TrainerCallback = {
      // Runs after the built-in callbacks: EMA's average is in the model, recalibrated.
      onValidationBegin: async (epoch) => void validated.push({ ours: movingMean(), expected: await preciseMean(epoch) }),
    };
    await train({ model, train: data, val: data, epochs: 3, batchSize: 4, lr: 0.05, seed: 1, preciseBnBatches: 2, ema: { decay: 0.5 }, callbacks: [probe] });
    expect(validated).toHaveLength(3);
    for (const { ours, expected } of validated) ours.forEach((m, c) => expect(m).toBeCloseTo(expected[c], 4));
    // The final model is EMA's average (applied at the end), with statistics recomputed for it.
    const expected = await preciseMean(2);
    movingMean().forEach((m, c) => expect(m).toBeCloseTo(expected[c], 4));
    model.dispose();
  });
});
