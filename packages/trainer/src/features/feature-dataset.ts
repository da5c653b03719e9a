import * as tf from '@tensorflow/tfjs';
import { epochOrder } from '@resnet-ts/data';
import type { Batch, BatchOptions, TrainingDataset } from '../dataset';
import type { FeatureTable } from './feature-table';

export interface FeatureDatasetOptions {
  classNames: readonly string[];
  /** Shape of the images the features came from (what the dataset reports). */
  imageShape: readonly [number, number, number];
  /** Seeds the row order of epochs past the cached copies (of every epoch, with rows in dataset order). */
  seed: number;
  /**
   * How the table's rows are ordered: `batch` (default) as each copy's epoch read the images (what
   * `computeFeatureTable` writes when it shuffles), `dataset` in the dataset's own order (a cache an
   * app keeps per image), so every epoch reorders them from (seed, epoch).
   */
  rows?: 'batch' | 'dataset';
}

/**
 * Cached features as a dataset the training loop runs unchanged: batches of `[n, featureSize]`
 * features and one-hot labels. Epoch e reads copy `e % copies`: for e < copies that is exactly the
 * batch order and augmentation the images' own epoch e had (rows in batch order); later epochs
 * reuse a copy, its rows reshuffled from (seed, epoch) when shuffling. A pure function of (seed, epoch, batch), so resumed
 * runs match.
 */
export function featureDataset(table: FeatureTable, options: FeatureDatasetOptions): TrainingDataset {
  const { features, labels, featureSize, rowsPerCopy, copies } = table;
  const classes = options.classNames.length;
  return {
    classNames: [...options.classNames],
    size: rowsPerCopy,
    imageShape: options.imageShape,
    async *batches(o: BatchOptions): AsyncIterableIterator<Batch> {
      const epoch = o.epoch ?? 0;
      const copy = epoch % copies;
      const reshuffle = (epoch >= copies || options.rows === 'dataset') && o.shuffle !== false;
      const order = epochOrder(rowsPerCopy, options.seed, epoch, reshuffle);
      const count = o.dropRemainder ? Math.floor(rowsPerCopy / o.batchSize) : Math.ceil(rowsPerCopy / o.batchSize);
      for (let b = o.startBatch ?? 0; b < count; b++) {
        const rows = order.subarray(b * o.batchSize, Math.min(rowsPerCopy, (b + 1) * o.batchSize));
        const xs = new Float32Array(rows.length * featureSize);
        const ys = new Float32Array(rows.length * classes);
        rows.forEach((r, k) => {
          const row = copy * rowsPerCopy + r;
          xs.set(features.subarray(row * featureSize, (row + 1) * featureSize), k * featureSize);
          ys[k * classes + labels[row]] = 1;
        });
        // The loop disposes both; tensor4d-shaped `Batch.xs` is what images are, features are rank 2.
        yield { xs: tf.tensor2d(xs, [rows.length, featureSize]) as unknown as tf.Tensor4D, ys: tf.tensor2d(ys, [rows.length, classes]) };
      }
    },
  };
}
