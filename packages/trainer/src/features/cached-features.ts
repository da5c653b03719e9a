import type * as tf from '@tensorflow/tfjs';
import type { ResolvedTrainConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import { featureDataset } from './feature-dataset';
import { computeFeatureTable, type FeatureTable } from './feature-table';
import { splitAtHead } from './split-model';

/** What a run with `transfer.cacheFeatures` cached before its first step (in `TrainBeginLogs`). */
export interface FeatureCacheInfo {
  /** Training images. */
  images: number;
  /** Feature copies per training image. */
  copies: number;
  /** Rows cached: training images x copies, plus validation images. */
  rows: number;
  featureSize: number;
  bytes: number;
  /** Wall time of computing them. */
  seconds: number;
}

/**
 * Features the caller computed with the same frozen backbone (an app that caches each image's
 * features when it is added, like the demo): the run uses them instead of running the backbone.
 */
export interface PrecomputedFeatures {
  /**
   * Of the training dataset, in the dataset's own order (not shuffled: every epoch reorders the
   * rows from (seed, epoch)); `augmentedCopies` copies, copy k of epochs k, k + copies, ...
   */
  train: FeatureTable;
  /** Of the validation dataset; computed by the run when absent. */
  val?: FeatureTable;
}

/** The head model and the datasets it trains and validates on. */
export interface CachedFeatures {
  head: tf.LayersModel;
  train: TrainingDataset;
  val: TrainingDataset | undefined;
  info: FeatureCacheInfo;
}

/**
 * Splits `model` at its head and computes the frozen backbone's features of `train` (one copy per
 * augmentation epoch asked for) and `val` (once, unaugmented). Training `head` on them updates the
 * full model's head weights in place; the backbone's are never touched.
 */
export async function cacheFeatures(
  model: tf.LayersModel,
  train: TrainingDataset,
  val: TrainingDataset | undefined,
  config: ResolvedTrainConfig,
  precomputed?: PrecomputedFeatures,
): Promise<CachedFeatures> {
  const transfer = config.transfer;
  if (!transfer?.cacheFeatures) throw new Error('cacheFeatures: training.transfer.cacheFeatures is off.');
  const started = performance.now();
  const { backbone, head, featureSize } = splitAtHead(model, transfer);
  const copies = transfer.cacheFeatures === true ? 1 : (transfer.cacheFeatures.augmentedCopies ?? 1);
  const { batchSize, shuffle, augment, seed } = config;
  const trainTable = precomputed
    ? checkedTable(precomputed.train, { rows: train.size, copies, featureSize, what: 'training data' })
    : await computeFeatureTable(backbone, train, { batchSize, copies, shuffle, augment, what: 'training data' });
  const valTable = !val
    ? undefined
    : precomputed?.val
      ? checkedTable(precomputed.val, { rows: val.size, copies: 1, featureSize, what: 'validation data' })
      : await computeFeatureTable(backbone, val, { batchSize, shuffle: false, augment: false, what: 'validation data' });
  const rows = trainTable.labels.length + (valTable?.labels.length ?? 0);
  const classNames = train.classNames;
  return {
    head,
    train: featureDataset(trainTable, { classNames, imageShape: train.imageShape, seed, rows: precomputed ? 'dataset' : 'batch' }),
    val: val && valTable ? featureDataset(valTable, { classNames: val.classNames, imageShape: val.imageShape, seed }) : undefined,
    info: { images: train.size, copies, rows, featureSize, bytes: rows * featureSize * 4, seconds: (performance.now() - started) / 1000 },
  };
}

/** A precomputed table must have one row per image and copy, of the backbone's feature size. */
function checkedTable(table: FeatureTable, expected: { rows: number; copies: number; featureSize: number; what: string }): FeatureTable {
  const { rows, copies, featureSize, what } = expected;
  const problem =
    table.featureSize !== featureSize
      ? `${table.featureSize} features per row, but the backbone gives ${featureSize}`
      : table.rowsPerCopy !== rows || table.copies !== copies
        ? `${table.rowsPerCopy} rows x ${table.copies} copies, but the ${what} has ${rows} images x ${copies} copies (augmentedCopies)`
        : table.features.length !== rows * copies * featureSize || table.labels.length !== rows * copies
          ? `${table.features.length} features and ${table.labels.length} labels, not ${rows * copies} rows of ${featureSize}`
          : undefined;
  if (problem) throw new Error(`precomputedFeatures of the ${what}: ${problem}.`);
  return table;
}
