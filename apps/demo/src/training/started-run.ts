/**
 * A run on "My images" that starts from a pretrained start: the classifier is a copy of the
 * start's backbone with a new head. Without fine-tuning the frozen backbone's cached features
 * train the head (handed to the trainer as precomputed features, so that the run still steps and
 * checkpoints the full model, and resumes after a reload); with fine-tuning the images train the
 * last stage and the head.
 */
import type { PrecomputedFeatures, TransferOptions } from '@resnet-ts/trainer';
import type { ModelCard } from '@resnet-ts/zoo';
import type * as tf from '@tensorflow/tfjs';
import type { FeatureCache } from './feature-cache';
import { classifierFromStart, lastStagePrefix, type PretrainedStart } from './start-from';

export interface LabelledImage {
  source: Blob;
  label: number;
}

export interface StartedRun {
  /** The classifier the run trains, which becomes the current model (the caller owns it). */
  model: tf.LayersModel;
  card: ModelCard;
  transfer: TransferOptions;
  /** Without fine-tuning: the training images' cached features, in the order of `images`. */
  precomputedFeatures?: PrecomputedFeatures;
  /** For the status line: what trains on what. */
  description: string;
}

export interface StartedRunOptions {
  fineTune: boolean;
  /** Whether the form asked for augmentation (cached features are of the plain images). */
  augment: boolean;
  /** Seed of the new head's initial weights. */
  modelSeed: number;
}

export async function prepareStartedRun(
  start: PretrainedStart,
  cache: FeatureCache,
  images: readonly LabelledImage[],
  classNames: readonly string[],
  options: StartedRunOptions,
): Promise<StartedRun> {
  const { model, card } = await classifierFromStart(start, classNames, { seed: options.modelSeed });
  try {
    if (options.fineTune) {
      const stage = lastStagePrefix(model);
      return {
        model,
        card,
        transfer: { freezeBackbone: true, unfreezeFrom: stage },
        description: `fine-tuning ${stage.slice(0, -1)} and the head of ${start.architecture} on ${images.length} images`,
      };
    }
    return {
      model,
      card,
      transfer: { freezeBackbone: true, cacheFeatures: true },
      precomputedFeatures: { train: await cache.table(images) },
      description: `the head of ${start.architecture} on the cached features of ${images.length} images (backbone frozen${options.augment ? '; augmentation does not apply to cached features' : ''})`,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
