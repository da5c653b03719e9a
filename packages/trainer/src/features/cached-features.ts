import type * as tf from '@tensorflow/tfjs';
import type { ResolvedTrainConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import { featureDataset } from './feature-dataset';
import { computeFeatureTable } from './feature-table';
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
): Promise<CachedFeatures> {
  const transfer = config.transfer;
  if (!transfer?.cacheFeatures) throw new Error('cacheFeatures: training.transfer.cacheFeatures is off.');
  if (config.preciseBnBatches > 0) {
    throw new Error('training.preciseBnBatches recomputes BatchNorm statistics, which a frozen backbone with cached features keeps fixed: set it to 0 or turn training.transfer.cacheFeatures off.');
  }
  const started = performance.now();
  const { backbone, head, featureSize } = splitAtHead(model, transfer);
  const copies = transfer.cacheFeatures === true ? 1 : (transfer.cacheFeatures.augmentedCopies ?? 1);
  const { batchSize, shuffle, augment, seed } = config;
  const trainTable = await computeFeatureTable(backbone, train, { batchSize, copies, shuffle, augment, what: 'training data' });
  const valTable = val ? await computeFeatureTable(backbone, val, { batchSize, shuffle: false, augment: false, what: 'validation data' }) : undefined;
  const rows = trainTable.labels.length + (valTable?.labels.length ?? 0);
  const classNames = train.classNames;
  return {
    head,
    train: featureDataset(trainTable, { classNames, imageShape: train.imageShape, seed }),
    val: val && valTable ? featureDataset(valTable, { classNames: val.classNames, imageShape: val.imageShape, seed }) : undefined,
    info: { images: train.size, copies, rows, featureSize, bytes: rows * featureSize * 4, seconds: (performance.now() - started) / 1000 },
  };
}
