import type * as tf from '@tensorflow/tfjs';

/** One batch: float32 NHWC images and one-hot (or soft, after mixup/cutmix) labels. The caller disposes both. */
export interface Batch {
  xs: tf.Tensor4D;
  ys: tf.Tensor2D;
}

export interface BatchOptions {
  batchSize: number;
  /** Shuffle order and augmentation randomness are a pure function of (dataset seed, epoch, example index). Default 0. */
  epoch?: number;
  /** Default: true for training splits, false for evaluation splits. */
  shuffle?: boolean;
  /** Apply the dataset's training augmentation. Default: as configured on the dataset. */
  augment?: boolean;
  /** Skip this many batches of the epoch (exact resume mid-epoch) without decoding them. Default 0. */
  startBatch?: number;
  /** Drop the last, smaller batch. Default false. */
  dropRemainder?: boolean;
}

export interface ImageDataset {
  readonly classNames: readonly string[];
  readonly size: number;
  /** [H, W, 3] of produced batches. */
  readonly imageShape: readonly [number, number, number];
  batches(options: BatchOptions): AsyncIterableIterator<Batch>;
  toTfDataset(options: BatchOptions): tf.data.Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor2D }>;
  dispose?(): void | Promise<void>;
}

/** Train / validation / optional test splits of one source. */
export interface DatasetSplits<D extends ImageDataset = ImageDataset> {
  train: D;
  val: D;
  test?: D;
}

/** What to do with an example that cannot be read: throw (default) or warn, count and leave it out of its batch. */
export type OnError = 'throw' | 'skip';

/** Resize mode: 'stretch' ignores aspect ratio; 'cover' scales the short side and centre-crops the long one. */
export type FitMode = 'stretch' | 'cover';

/** A decoded RGB image, 8 bits per channel, row-major HWC. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}
