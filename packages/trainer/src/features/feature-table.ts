import * as tf from '@tensorflow/tfjs';
import type { TrainingDataset } from '../dataset';

/**
 * Most bytes of features one cache holds (1 GiB): rows x featureSize x 4 bytes. ResNet50's 2048
 * features fill it at 131072 rows (images x augmented copies); ResNet18/34's 512 at 524288.
 */
export const MAX_FEATURE_CACHE_BYTES = 2 ** 30;

/** Pooled backbone features of every image, `copies` times: rows `[copy][position in that copy]`. */
export interface FeatureTable {
  /** `[copies * rowsPerCopy, featureSize]`, row-major. */
  features: Float32Array;
  /** Class index of each row. */
  labels: Int32Array;
  featureSize: number;
  rowsPerCopy: number;
  copies: number;
}

export interface FeatureTableOptions {
  batchSize: number;
  /** Copies of each image; copy k is batch order and augmentation of epoch k. Default 1. */
  copies?: number;
  shuffle: boolean;
  augment: boolean;
  /** What the cache is of, for messages (e.g. `training data`). */
  what: string;
}

/** Throws, naming the sizes and what to change, when `rows` rows of `featureSize` pass the cap. */
export function assertFeatureCacheFits(rows: number, featureSize: number, what: string): void {
  const bytes = rows * featureSize * 4;
  if (bytes > MAX_FEATURE_CACHE_BYTES) {
    const mib = (n: number) => `${Math.ceil(n / 2 ** 20)} MiB`;
    throw new Error(
      `Caching features of the ${what} needs ${rows} rows x ${featureSize} floats = ${mib(bytes)}, over the cache's ${mib(MAX_FEATURE_CACHE_BYTES)}: ` +
        'ask for fewer augmented copies (--augmented-copies) or train without --cache-features.',
    );
  }
}

/**
 * Runs `backbone` in inference mode (BatchNorm moving statistics) over `data`, batch by batch, into
 * one Float32Array. Copy k reads the data as epoch k, so with augmentation each copy is a
 * different, reproducible view of every image (data order and augmentation are a pure function of
 * (seed, epoch, index)).
 */
export async function computeFeatureTable(backbone: tf.LayersModel, data: TrainingDataset, options: FeatureTableOptions): Promise<FeatureTable> {
  const copies = options.copies ?? 1;
  const featureSize = (backbone.outputs[0].shape as number[])[1];
  const rowsPerCopy = data.size;
  assertFeatureCacheFits(rowsPerCopy * copies, featureSize, options.what);
  const features = new Float32Array(rowsPerCopy * copies * featureSize);
  const labels = new Int32Array(rowsPerCopy * copies);
  let row = 0;
  for (let copy = 0; copy < copies; copy++) {
    const start = row;
    for await (const batch of data.batches({ batchSize: options.batchSize, epoch: copy, shuffle: options.shuffle, augment: options.augment })) {
      try {
        const n = batch.xs.shape[0];
        if (row + n > start + rowsPerCopy) throw new Error(`The ${options.what} yielded more images than its size (${rowsPerCopy}).`);
        const out = backbone.predict(batch.xs) as tf.Tensor2D;
        const labelT = tf.argMax(batch.ys, -1);
        const [values, classes] = await Promise.all([out.data(), labelT.data()]).finally(() => tf.dispose([out, labelT]));
        features.set(values as Float32Array, row * featureSize);
        labels.set(classes as Int32Array, row);
        row += n;
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
    }
    if (row !== start + rowsPerCopy) throw new Error(`The ${options.what} yielded ${row - start} images, not its size (${rowsPerCopy}).`);
  }
  return { features, labels, featureSize, rowsPerCopy, copies };
}
