import type * as tf from '@tensorflow/tfjs';
import type { TrainBeginLogs } from '../callbacks/types';
import { loadArtifactsWeights, type CheckpointData } from '../checkpoint';
import type { ResolvedTrainConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import { cacheFeatures } from './cached-features';

export interface RunData {
  /** The model the engine steps: the head model with cached features, else the model itself. */
  trainedModel: tf.LayersModel;
  train: TrainingDataset;
  val: TrainingDataset | undefined;
  /** Extra fields of the run's `TrainBeginLogs`. */
  beginLogs: Pick<TrainBeginLogs, 'featureCache'>;
}

interface RunInputs {
  model: tf.LayersModel;
  train: TrainingDataset;
  val?: TrainingDataset;
  resumeFrom?: CheckpointData;
}

/** What a run trains and validates on: the images, or with `transfer.cacheFeatures` the cached features. */
export async function cachedRunData(options: RunInputs, config: ResolvedTrainConfig): Promise<RunData> {
  if (!config.transfer?.cacheFeatures) return { trainedModel: options.model, train: options.train, val: options.val, beginLogs: {} };
  // Features come from the backbone's weights: a resumed run computes them from the checkpoint's
  // (the same, as the backbone is frozen; the loop loads them again with the rest of the state).
  if (options.resumeFrom) loadArtifactsWeights(options.model, options.resumeFrom.model);
  const cached = await cacheFeatures(options.model, options.train, options.val, config);
  return { trainedModel: cached.head, train: cached.train, val: cached.val, beginLogs: { featureCache: cached.info } };
}
