import type * as tf from '@tensorflow/tfjs';
import type { TrainBeginLogs } from '../callbacks/types';
import { loadArtifactsWeights, type CheckpointData } from '../checkpoint';
import type { ResolvedTrainConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import { cacheFeatures, type PrecomputedFeatures } from './cached-features';

export interface RunData {
  /** The model the engine steps: the head model with cached features, else the model itself. */
  trainedModel: tf.LayersModel;
  /**
   * The model whose weights the run changes, for the callbacks that average or restore them (EMA,
   * best weights): the head model while the backbone stays frozen for the whole run, else the model.
   */
  changedModel: tf.LayersModel;
  train: TrainingDataset;
  val: TrainingDataset | undefined;
  /** Extra fields of the run's `TrainBeginLogs`. */
  beginLogs: Pick<TrainBeginLogs, 'featureCache'>;
  /** With cached features and `unfreezeFrom`: the epoch from which the run trains the model on images (`imageRunData`). */
  imagesFrom?: number;
}

interface RunInputs {
  model: tf.LayersModel;
  train: TrainingDataset;
  val?: TrainingDataset;
  resumeFrom?: CheckpointData;
  precomputedFeatures?: PrecomputedFeatures;
}

/** The run on the images themselves. */
export function imageRunData(options: RunInputs): RunData {
  return { trainedModel: options.model, changedModel: options.model, train: options.train, val: options.val, beginLogs: {} };
}

/**
 * What a run trains and validates on: the images, or with `transfer.cacheFeatures` the cached
 * features (with `unfreezeFrom`, only until `unfreezeEpoch`: a run resumed at or after it trains
 * on images from the start, one resumed before it computes the cache again).
 */
export async function cachedRunData(options: RunInputs, config: ResolvedTrainConfig): Promise<RunData> {
  const transfer = config.transfer;
  if (!transfer?.cacheFeatures) {
    if (options.precomputedFeatures) throw new Error('precomputedFeatures are the features of a frozen backbone: set training.transfer.cacheFeatures (and freezeBackbone) too.');
    return imageRunData(options);
  }
  const imagesFrom = transfer.unfreezeFrom !== undefined ? (transfer.unfreezeEpoch ?? 0) : undefined;
  if (imagesFrom !== undefined && (options.resumeFrom?.state.epoch ?? 0) >= imagesFrom) return imageRunData(options);
  // Features come from the backbone's weights: a resumed run computes them from the checkpoint's
  // (the same, as the backbone is frozen; the loop loads them again with the rest of the state).
  if (options.resumeFrom) loadArtifactsWeights(options.model, options.resumeFrom.model);
  const cached = await cacheFeatures(options.model, options.train, options.val, config, options.precomputedFeatures);
  const head = { trainedModel: cached.head, train: cached.train, val: cached.val, beginLogs: { featureCache: cached.info } };
  if (imagesFrom === undefined) return { ...head, changedModel: cached.head };
  return { ...head, changedModel: options.model, imagesFrom };
}
