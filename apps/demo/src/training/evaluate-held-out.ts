import type { NormalizationPreset } from '@resnet-ts/data';
import { browserImageDataset } from '@resnet-ts/data/browser';
import { evaluate, type EvaluationResult } from '@resnet-ts/trainer';
import type * as tf from '@tensorflow/tfjs';
import type { LabelledImage } from './started-run';

/**
 * Scores the full model on the held-out images through the same pipeline as Predict (decoded,
 * resized, normalized, no augmentation); undefined when nothing was held out.
 */
export async function evaluateHeldOut(
  model: tf.LayersModel,
  heldOut: readonly LabelledImage[],
  classNames: readonly string[],
  pipeline: { imageSize: number; normalization: NormalizationPreset },
): Promise<EvaluationResult | undefined> {
  if (heldOut.length === 0) return undefined;
  const size = pipeline.imageSize;
  const data = browserImageDataset(heldOut, classNames, { imageSize: [size, size], normalization: pipeline.normalization, training: false });
  try {
    return await evaluate(model, data, { batchSize: 16, classNames });
  } finally {
    await data.dispose();
  }
}
