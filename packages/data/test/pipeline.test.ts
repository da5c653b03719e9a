import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineDataset, arrayDataset, arraySplits, syntheticShapes, syntheticShapesSplits, SYNTHETIC_DIFFICULTIES, type Batch, type SyntheticDifficulty, type ExampleSource, type ImageDataset } from '../src/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function collect(dataset: ImageDataset, options: Parameters<ImageDataset['batches']>[0]) {
  const out: { xs: Float32Array; ys: Float32Array; shape: number[] }[] = [];
  for await (const batch of dataset.batches(options)) {
    out.push({ xs: batch.xs.dataSync() as Float32Array, ys: batch.ys.dataSync() as Float32Array, shape: batch.xs.shape });
    tf.dispose([batch.xs, batch.ys]);
  }
  return out;
}

describe('synthetic shapes', () => {
  it('is a pure function of the seed, balanced across classes, at any image size', async () => {
    const a = syntheticShapes({ classes: 4, count: 8, imageSize: 24, seed: 1 });
    const b = syntheticShapes({ classes: 4, count: 8, imageSize: 24, seed: 1 });
    const c = syntheticShapes({ classes: 4, count: 8, imageSize: 24, seed: 2 });
    expect(a.classNames).toEqual(['circle', 'square', 'triangle', 'star']);
    expect(a.imageShape).toEqual([24, 24, 3]);
    const options = { batchSize: 8, shuffle: false, augment: false };
    const [batchA] = await collect(a, options);
    const [batchB] = await collect(b, options);
    const [batchC] = await collect(c, options);
    expect(batchB.xs).toEqual(batchA.xs);
    expect(batchC.xs).not.toEqual(batchA.xs);
    const perClass = [0, 0, 0, 0];
    for (let i = 0; i < 8; i++) perClass[batchA.ys.subarray(i * 4, i * 4 + 4).indexOf(1)]++;
    expect(perClass).toEqual([2, 2, 2, 2]);
    const [wide] = await collect(syntheticShapes({ count: 2, imageSize: [20, 36] }), { batchSize: 2 });
    expect(wide.shape).toEqual([2, 20, 36, 3]);
  });

  it('is not solvable from mean colour alone: class means of the images are close to each other', async () => {
    const dataset = syntheticShapes({ classes: 6, count: 600, imageSize: 16, seed: 3 });
    const means = Array.from({ length: 6 }, () => [0, 0, 0]);
    for await (const { xs, ys } of dataset.batches({ batchSize: 100, augment: false })) {
      const pixelMeans = tf.tidy(() => xs.mean([1, 2]).arraySync() as number[][]);
      const labels = tf.tidy(() => ys.argMax(1).arraySync() as number[]);
      labels.forEach((label, i) => pixelMeans[i].forEach((v, ch) => (means[label][ch] += v / 100)));
      tf.dispose([xs, ys]);
    }
    const flat = means.flat();
    expect(Math.max(...flat) - Math.min(...flat)).toBeLessThan(0.1);
  });

  it('is not solvable from mean colour alone at every difficulty', async () => {
    for (const difficulty of SYNTHETIC_DIFFICULTIES) {
      const means = Array.from({ length: 6 }, () => [0, 0, 0]);
      for await (const { xs, ys } of syntheticShapes({ difficulty, count: 600, imageSize: 16, seed: 4 }).batches({ batchSize: 100, augment: false })) {
        const pixelMeans = tf.tidy(() => xs.mean([1, 2]).arraySync() as number[][]);
        const labels = tf.tidy(() => ys.argMax(1).arraySync() as number[]);
        labels.forEach((label, i) => pixelMeans[i].forEach((v, ch) => (means[label][ch] += v / 100)));
        tf.dispose([xs, ys]);
      }
      const flat = means.flat();
      expect({ difficulty, spread: Math.max(...flat) - Math.min(...flat) < 0.1 }).toEqual({ difficulty, spread: true });
    }
  });

  it('draws harder difficulties with more clutter, and rejects unknown ones', async () => {
    // Mean absolute difference between horizontal neighbours: noise, stripes and lines raise it.
    const roughness = async (difficulty: SyntheticDifficulty) => {
      const [{ xs }] = await collect(syntheticShapes({ difficulty, count: 60, imageSize: 32, seed: 6, training: false }), { batchSize: 60 });
      let sum = 0;
      for (let i = 3; i < xs.length; i++) if (i % (32 * 3) >= 3) sum += Math.abs(xs[i] - xs[i - 3]);
      return sum / xs.length;
    };
    const [easy, normal, hard] = [await roughness('easy'), await roughness('normal'), await roughness('hard')];
    expect(easy).toBeLessThan(normal);
    expect(normal).toBeLessThan(hard);
    expect(() => syntheticShapes({ difficulty: 'extreme' as SyntheticDifficulty })).toThrow(/difficulty must be one of easy, normal, hard/);
  });

  it('splits into disjoint example ranges', async () => {
    const splits = syntheticShapesSplits({ trainCount: 12, valCount: 6, testCount: 6, imageSize: 8 });
    expect([splits.train.size, splits.val.size, splits.test!.size]).toEqual([12, 6, 6]);
    const [train] = await collect(splits.train, { batchSize: 12, shuffle: false, augment: false });
    const [val] = await collect(splits.val, { batchSize: 6 });
    expect(val.xs).not.toEqual(train.xs.subarray(0, val.xs.length));
  });
});

describe('batching pipeline', () => {
  const dataset = () => syntheticShapes({ count: 10, imageSize: 8, seed: 5, augmentation: { mixup: { alpha: 0.4, probability: 0.5 } } });

  it('yields batches with the remainder unless dropRemainder, and frees every tensor it makes', async () => {
    const before = tf.memory().numTensors;
    const sizes = (await collect(dataset(), { batchSize: 4 })).map((b) => b.shape[0]);
    expect(sizes).toEqual([4, 4, 2]);
    expect((await collect(dataset(), { batchSize: 4, dropRemainder: true })).map((b) => b.shape[0])).toEqual([4, 4]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible per epoch and differs between epochs', async () => {
    const e0 = await collect(dataset(), { batchSize: 5, epoch: 0 });
    const again = await collect(dataset(), { batchSize: 5, epoch: 0 });
    const e1 = await collect(dataset(), { batchSize: 5, epoch: 1 });
    expect(again).toEqual(e0);
    expect(e1[0].xs).not.toEqual(e0[0].xs);
  });

  it('resumes mid-epoch exactly with startBatch', async () => {
    const full = await collect(dataset(), { batchSize: 3, epoch: 2 });
    const resumed = await collect(dataset(), { batchSize: 3, epoch: 2, startBatch: 2 });
    expect(resumed).toEqual(full.slice(2));
  });

  it('does not augment evaluation splits or when augment is false', async () => {
    const plain = await collect(dataset(), { batchSize: 10, shuffle: false, augment: false });
    const augmented = await collect(dataset(), { batchSize: 10, shuffle: false });
    expect(augmented[0].xs).not.toEqual(plain[0].xs);
    const evalSet = syntheticShapes({ count: 10, imageSize: 8, seed: 5, training: false, augmentation: true });
    expect(await collect(evalSet, { batchSize: 10 })).toEqual(plain);
  });

  it('gives soft labels summing to one with mixup or cutmix', async () => {
    const mixing = syntheticShapes({ count: 8, imageSize: 8, augmentation: { mixup: { alpha: 0.4 }, cutmix: { alpha: 1 } } });
    let softRows = 0;
    for (const batch of await collect(mixing, { batchSize: 4 })) {
      for (let i = 0; i < 4; i++) {
        const row = Array.from(batch.ys.subarray(i * 6, i * 6 + 6));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        if (row.some((v) => v > 0 && v < 1)) softRows++;
      }
    }
    // Rows mixed with a partner of the same class stay one-hot; the others are soft.
    expect(softRows).toBeGreaterThan(0);
  });

  it('leaks nothing when the consumer stops early', async () => {
    const before = tf.memory().numTensors;
    for await (const batch of dataset().batches({ batchSize: 2 })) {
      tf.dispose([batch.xs, batch.ys]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('works as a tf.data.Dataset', async () => {
    const before = tf.memory().numTensors;
    const shapes: number[][] = [];
    await dataset()
      .toTfDataset({ batchSize: 4 })
      .forEachAsync((batch: Batch) => {
        shapes.push(batch.xs.shape, batch.ys.shape);
        tf.dispose([batch.xs, batch.ys]);
      });
    expect(shapes).toEqual([[4, 8, 8, 3], [4, 6], [4, 8, 8, 3], [4, 6], [2, 8, 8, 3], [2, 6]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('in-memory arrays', () => {
  it('reads tensors or typed arrays, expands grayscale, and splits by class', async () => {
    const images = tf.tidy(() => tf.linspace(0, 1, 6 * 4 * 4).reshape([6, 4, 4, 1]));
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1], 'int32'), 2);
    const before = tf.memory().numTensors;
    const ds = arrayDataset({ images, labels, classNames: ['a', 'b'], valueScale: 1 }, { normalization: 'raw', training: false });
    const [batch] = await collect(ds, { batchSize: 6 });
    expect(batch.shape).toEqual([6, 4, 4, 3]);
    expect(batch.xs[0]).toBe(0);
    expect(batch.xs[batch.xs.length - 1]).toBe(255);
    expect(Array.from(batch.ys.subarray(0, 4))).toEqual([1, 0, 0, 1]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images, labels]);

    const splits = arraySplits({ images: new Uint8Array(10 * 2 * 2 * 3), shape: [10, 2, 2, 3], labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], classNames: ['a', 'b'] }, { valFraction: 0.2 });
    expect([splits.train.size, splits.val.size]).toEqual([8, 2]);
    expect(() => arrayDataset({ images: new Uint8Array(5), shape: [1, 2, 2, 3], labels: [0], classNames: ['a'] })).toThrow(/5 values.*needs 12/);
  });
});

describe('streaming', () => {
  it('holds at most (prefetch + 1) batches of examples in flight, however large the dataset', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let loaded = 0;
    const source: ExampleSource = {
      size: 10_000,
      label: (i) => i % 2,
      describe: (i) => `item ${i}`,
      load: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        loaded++;
        return { data: new Uint8Array(2 * 2 * 3), width: 2, height: 2 };
      },
    };
    const dataset = new PipelineDataset(source, ['a', 'b'], { training: true, prefetch: 2, defaultImageSize: 2 });
    let batches = 0;
    for await (const { xs, ys } of dataset.batches({ batchSize: 8, startBatch: 100 })) {
      tf.dispose([xs, ys]);
      if (++batches === 5) break;
    }
    expect(maxInFlight).toBeLessThanOrEqual(3 * 8);
    // startBatch skipped the first 100 batches without loading them.
    expect(loaded).toBeLessThanOrEqual((5 + 3) * 8);
  });
});
