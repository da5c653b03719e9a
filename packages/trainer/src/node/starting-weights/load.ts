import type * as tf from '@tensorflow/tfjs';
import { loadModelWeights, type SkippedLayer, type StartingWeightsRecord } from '@resnet-ts/zoo';
import { StartingWeightsError } from '../../errors';
import { hashFiles } from './hash-files';
import { weightFiles, type StartingWeights } from './resolve';

export interface LoadStartingWeightsOptions {
  /** Leave layers whose shapes differ (a head for other classes) at their initial weights. Default false. */
  skipMismatch?: boolean;
}

export interface LoadedStartingWeights {
  /** What run.json and the model card record (`weights.start`). */
  record: StartingWeightsRecord;
  /** Model layers that received weights. */
  loaded: string[];
  /** Model layers left as they were, and why. */
  skipped: SkippedLayer[];
  /** File layers with weights that no model layer took. */
  unusedFileLayers: string[];
}

/**
 * Loads resolved starting weights into `model` (layers matched by name, as `loadModelWeights`);
 * nothing changes when a layer does not fit and `skipMismatch` is off. Weights that fit no layer
 * at all are an error even with `skipMismatch`: the model would train from scratch unnoticed.
 */
export async function loadStartingWeights(model: tf.LayersModel, weights: StartingWeights, options: LoadStartingWeightsOptions = {}): Promise<LoadedStartingWeights> {
  let result: Awaited<ReturnType<typeof loadModelWeights>>;
  try {
    result = await loadModelWeights(model, weights.path, { skipMismatch: options.skipMismatch ?? false });
  } catch (error) {
    throw new StartingWeightsError(weights.spec, (error as Error).message);
  }
  if (result.loaded.length === 0) {
    throw new StartingWeightsError(
      weights.spec,
      `${weights.path}: no layer of model "${model.name}" took weights from it (${result.skipped.length} skipped, e.g. ${result.skipped[0]?.layer}: ${result.skipped[0]?.reason}); is it the same architecture?`,
    );
  }
  const { sha256, bytes } = await hashFiles(await weightFiles(weights));
  const skipped = result.skipped.map((s) => s.layer);
  return {
    record: { spec: weights.spec, kind: weights.kind, path: weights.path, sha256, bytes, skipped },
    loaded: result.loaded,
    skipped: result.skipped,
    unusedFileLayers: result.unusedFileLayers,
  };
}
