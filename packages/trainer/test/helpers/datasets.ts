import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchOptions, TrainingDataset } from '../../src/dataset';

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function permutation(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const r = rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export interface ArrayDatasetOptions {
  images: Float32Array[];
  labels: number[];
  classNames: string[];
  imageShape: [number, number, number];
  seed?: number;
}

/**
 * An in-memory dataset with the same contract as @resnet-ts/data's ImageDataset: order and
 * augmentation (horizontal flips) are a pure function of (seed, epoch, index).
 */
export function arrayDataset(options: ArrayDatasetOptions): TrainingDataset {
  const { images, labels, classNames, imageShape } = options;
  const seed = options.seed ?? 0;
  const [h, w, c] = imageShape;
  return {
    classNames,
    size: images.length,
    imageShape,
    async *batches(o: BatchOptions): AsyncIterableIterator<Batch> {
      const epoch = o.epoch ?? 0;
      const order = o.shuffle ? permutation(images.length, seed * 1000 + epoch) : images.map((_, i) => i);
      const full = Math.floor(order.length / o.batchSize);
      const count = o.dropRemainder ? full : Math.ceil(order.length / o.batchSize);
      for (let b = o.startBatch ?? 0; b < count; b++) {
        const ids = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const data = new Float32Array(ids.length * h * w * c);
        ids.forEach((id, k) => {
          const src = images[id];
          const flip = o.augment && rng(seed * 7919 + epoch * 104729 + id)() < 0.5;
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const sx = flip ? w - 1 - x : x;
              for (let ch = 0; ch < c; ch++) data[k * h * w * c + (y * w + x) * c + ch] = src[(y * w + sx) * c + ch];
            }
          }
        });
        yield {
          xs: tf.tensor4d(data, [ids.length, h, w, c]),
          ys: tf.tidy(() => tf.oneHot(tf.tensor1d(ids.map((id) => labels[id]), 'int32'), classNames.length).toFloat()) as tf.Tensor2D,
        };
      }
    },
  };
}

/** Random images with random labels (for mechanics, not learning). */
export function randomDataset(count: number, classes: number, size: number, seed = 1): TrainingDataset {
  const r = rng(seed);
  const images = Array.from({ length: count }, () => Float32Array.from({ length: size * size * 3 }, () => r()));
  const labels = Array.from({ length: count }, (_, i) => i % classes);
  return arrayDataset({
    images,
    labels,
    classNames: Array.from({ length: classes }, (_, i) => `class${i}`),
    imageShape: [size, size, 3],
    seed,
  });
}

/**
 * Learnable patterns: stripes (horizontal / vertical), a centred square, a diagonal, plus noise
 * and a random offset, in [0, 1].
 */
export function patternDataset(count: number, size: number, seed: number): TrainingDataset {
  const classNames = ['horizontal', 'vertical', 'square', 'diagonal'];
  const r = rng(seed);
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % classNames.length;
    const offset = Math.floor(r() * 4);
    const img = new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let on = false;
        if (label === 0) on = (y + offset) % 4 < 2;
        else if (label === 1) on = (x + offset) % 4 < 2;
        else if (label === 2) on = Math.abs(y - size / 2 + 0.5) < size / 4 && Math.abs(x - size / 2 + 0.5) < size / 4;
        else on = Math.abs(x - y + offset - 2) < 2;
        const v = (on ? 0.8 : 0.2) + (r() - 0.5) * 0.3;
        for (let ch = 0; ch < 3; ch++) img[(y * size + x) * 3 + ch] = v;
      }
    }
    images.push(img);
    labels.push(label);
  }
  return arrayDataset({ images, labels, classNames, imageShape: [size, size, 3], seed });
}
