import * as tf from '@tensorflow/tfjs';
import type { ExampleSource } from './example-source';
import { PipelineDataset, type PipelineOptions } from './pipeline';
import { stratifiedSplit, type SplitOptions } from './split';
import { subsetSource } from './example-source';
import type { DatasetSplits } from './types';

export interface ArrayDatasetInput {
  /** Images [N, H, W, C] (C = 1, 3 or 4): a typed array with `shape`, or a tensor (read once, not disposed). */
  images: Uint8Array | Uint8ClampedArray | Float32Array | tf.Tensor;
  /** Required when `images` is a typed array: [N, H, W, C]. */
  shape?: [number, number, number, number];
  /** Class indices [N], or a one-hot tensor/array [N, K]. */
  labels: ArrayLike<number> | tf.Tensor;
  classNames: readonly string[];
  /** Scale of float images: 255 (default) or 1 (values in [0, 1]). */
  valueScale?: 1 | 255;
}

/**
 * An in-memory source: images are kept as uint8 RGB (a quarter of float32), read one at a time.
 */
export function arraySource(input: ArrayDatasetInput): ExampleSource {
  const images = input.images instanceof tf.Tensor ? input.images.dataSync() : input.images;
  const shape = input.images instanceof tf.Tensor ? (input.images.shape as number[]) : input.shape;
  if (!shape || shape.length !== 4) throw new Error(`arrayDataset: images need shape [N, H, W, C], got ${JSON.stringify(shape)}`);
  const [n, height, width, channels] = shape;
  if (![1, 3, 4].includes(channels)) throw new Error(`arrayDataset: images must have 1, 3 or 4 channels, got ${channels}`);
  if (images.length !== n * height * width * channels) {
    throw new Error(`arrayDataset: images hold ${images.length} values, shape ${JSON.stringify(shape)} needs ${n * height * width * channels}`);
  }
  const labels = readLabels(input.labels, n);
  const scale = images instanceof Float32Array && (input.valueScale ?? 255) === 1 ? 255 : 1;
  const perImage = height * width * channels;
  return {
    size: n,
    label: (i) => labels[i],
    describe: (i) => `images[${i}]`,
    load: async (i) => {
      const data = new Uint8Array(height * width * 3);
      const base = i * perImage;
      for (let p = 0; p < height * width; p++) {
        for (let c = 0; c < 3; c++) {
          const v = images[base + p * channels + (channels < 3 ? 0 : c)] * scale;
          data[p * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
        }
      }
      return { data, width, height };
    },
  };
}

function readLabels(labels: ArrayLike<number> | tf.Tensor, n: number): Int32Array {
  if (labels instanceof tf.Tensor) {
    if (labels.rank === 2) return tf.tidy(() => labels.argMax(1).dataSync() as Int32Array).slice();
    return Int32Array.from(labels.dataSync());
  }
  if (labels.length !== n) throw new Error(`arrayDataset: ${labels.length} labels for ${n} images`);
  return Int32Array.from(labels);
}

/** One dataset over in-memory images. */
export function arrayDataset(input: ArrayDatasetInput, options: PipelineOptions & { training?: boolean } = {}): PipelineDataset {
  const source = arraySource(input);
  const defaultImageSize = (input.images instanceof tf.Tensor ? input.images.shape[1] : input.shape?.[1]) ?? 64;
  return new PipelineDataset(source, input.classNames, { ...options, training: options.training ?? true, defaultImageSize });
}

/** Stratified seeded train / val (/ test) splits over in-memory images. */
export function arraySplits(input: ArrayDatasetInput, options: PipelineOptions & SplitOptions = {}): DatasetSplits<PipelineDataset> {
  const source = arraySource(input);
  const defaultImageSize = (input.images instanceof tf.Tensor ? input.images.shape[1] : input.shape?.[1]) ?? 64;
  return splitSource(source, input.classNames, options, defaultImageSize);
}

/** Splits any ExampleSource by class with a seed; the training split shuffles and augments. */
export function splitSource(
  source: ExampleSource,
  classNames: readonly string[],
  options: PipelineOptions & SplitOptions,
  defaultImageSize: number,
): DatasetSplits<PipelineDataset> {
  const labels = Int32Array.from({ length: source.size }, (_, i) => source.label(i));
  const indices = stratifiedSplit(labels, { ...options, seed: options.seed ?? 0 });
  const make = (subset: Int32Array, training: boolean) =>
    new PipelineDataset(subsetSource(source, subset), classNames, { ...options, training, defaultImageSize });
  const splits: DatasetSplits<PipelineDataset> = { train: make(indices.train, true), val: make(indices.val, false) };
  if (indices.test) splits.test = make(indices.test, false);
  return splits;
}
