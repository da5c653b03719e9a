/**
 * A run on "My images" that starts from a pretrained start: the classifier is a copy of the
 * start's backbone with a new head; the frozen backbone's cached features train the head (the
 * full model's head, in place), or with fine-tuning the images train the last stage and the head.
 */
import type { AugmentationOptions } from '@resnet-ts/data';
import { browserImageDataset } from '@resnet-ts/data/browser';
import { featureDataset, splitAtHead, type TrainingDataset, type TransferOptions } from '@resnet-ts/trainer';
import type { ModelCard } from '@resnet-ts/zoo';
import type * as tf from '@tensorflow/tfjs';
import type { FeatureCache } from './feature-cache';
import { classifierFromStart, lastStagePrefix, type PretrainedStart } from './start-from';

export interface LabelledImage {
  source: Blob;
  label: number;
}

export interface StartedRun {
  /** The classifier that becomes the current model (the caller owns it). */
  model: tf.LayersModel;
  card: ModelCard;
  /** What `train` steps: the head alone on features, or `model` when fine-tuning. */
  trainedModel: tf.LayersModel;
  train: TrainingDataset;
  transfer?: TransferOptions;
  /** For the status line: what trains on what. */
  description: string;
  dispose(): Promise<void>;
}

export interface StartedRunOptions {
  fineTune: boolean;
  augmentation: boolean | AugmentationOptions;
  /** Seed of the image order and augmentation. */
  seed: number;
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
    const size = start.inputSize;
    if (options.fineTune) {
      const stage = lastStagePrefix(model);
      const data = browserImageDataset(images, classNames, { imageSize: [size, size], normalization: start.normalization, seed: options.seed, augmentation: options.augmentation, training: true });
      return {
        model,
        card,
        trainedModel: model,
        train: data,
        transfer: { freezeBackbone: true, unfreezeFrom: stage },
        description: `fine-tuning ${stage.slice(0, -1)} and the head of ${start.architecture} on ${images.length} images`,
        dispose: () => data.dispose(),
      };
    }
    const table = await cache.table(images);
    const { head } = splitAtHead(model);
    return {
      model,
      card,
      trainedModel: head,
      train: featureDataset(table, { classNames, imageShape: [size, size, 3], seed: options.seed }),
      // Cached features are of the plain images: augmentation would need a copy per epoch.
      description: `the head of ${start.architecture} on the cached features of ${images.length} images (backbone frozen${options.augmentation ? '; augmentation does not apply to cached features' : ''})`,
      dispose: async () => undefined,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
