import type * as tf from '@tensorflow/tfjs';

/** One batch: float32 NHWC images and one-hot (or soft) targets. The consumer disposes both. */
export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
}

export interface BatchOptions {
  batchSize: number;
  epoch?: number;
  shuffle?: boolean;
  augment?: boolean;
  /** Skip this many batches of the epoch (resume mid-epoch). */
  startBatch?: number;
  dropRemainder?: boolean;
}

/**
 * What the trainer needs from a dataset: the structural subset of `@resnet-ts/data`'s
 * `ImageDataset`. Batch order and augmentation must be a pure function of (dataset seed, epoch,
 * batch index) for resumed runs to match uninterrupted ones.
 */
export interface TrainingDataset {
  readonly classNames: readonly string[];
  readonly size: number;
  readonly imageShape: readonly [number, number, number];
  batches(options: BatchOptions): AsyncIterableIterator<Batch>;
}

export function batchesPerEpoch(size: number, batchSize: number, dropRemainder: boolean): number {
  return dropRemainder ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}
