import type * as tf from '@tensorflow/tfjs';
import type { ResNetOptions } from '../models/options';
import { createModel } from '../registry/registry';
import { loadModelWeights, type LoadModelWeightsOptions } from './load-model-weights';
import type { BinarySource } from './source/binary-source';
import { imagenetWeightsError } from './weights-errors';

export interface PretrainedModelOptions extends Omit<ResNetOptions, 'weights'>, LoadModelWeightsOptions {
  /**
   * Where the weights come from: a Keras .h5 or a torchvision/timm `.safetensors` (path, URL or
   * bytes), or a tfjs model (folder, model.json path or URL). For 'imagenet', pass
   * `await imagenetWeightsFile(name)` of `/node` (downloaded once into the cache) or the URL of
   * `imagenetWeightsSource(name)`.
   */
  weights: BinarySource;
}

/**
 * `createModel` plus weights: builds the registered variant, then loads `options.weights` into it
 * (Keras names or notebook names, `skipMismatch` for another head). The caller owns the model.
 */
export async function createPretrainedModel(name: string, options: PretrainedModelOptions): Promise<tf.LayersModel> {
  const { weights, skipMismatch, matching, onSkip, fetch, maxWeightBytes, maxRank, ...modelOptions } = options;
  if (weights === 'imagenet') throw imagenetWeightsError(name);
  if (modelOptions.inputShape && modelOptions.inputShape[2] !== 3) {
    throw new Error(`${name}: pretrained weights need 3 input channels, inputShape has ${modelOptions.inputShape[2]}`);
  }
  const model = createModel(name, { ...modelOptions, weights: null });
  try {
    await loadModelWeights(model, weights, { skipMismatch, matching, onSkip, fetch, maxWeightBytes, maxRank });
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
