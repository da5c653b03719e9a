import { asyncWeightsError, imagenetWeightsError } from '../weights/weights-errors';

/**
 * The one place that decides which `weights` values the builders accept. Building is synchronous
 * and loading is not, so weights load through `createPretrainedModel` (src/weights); 'imagenet'
 * gets an error saying how to get Keras's file (`imagenetWeightsFile` of `/node`).
 */
export function assertWeightsSupported(weights: string | null, modelName: string): void {
  if (weights === null) return;
  if (weights === 'imagenet') throw imagenetWeightsError(modelName);
  throw asyncWeightsError(modelName, weights);
}
