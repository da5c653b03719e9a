import type { ResNetOptions } from '../models/options';
import { resolveResNetOptions } from '../models/validate-options';
import { getModelConfig } from '../registry/registry';
import { parseModelCard } from './parse-model-card';
import { MODEL_CARD_FORMAT, MODEL_CARD_VERSION, type ModelCard } from './schema';

/** What the registry cannot know about a model: its classes, how it was trained, where its weights came from. */
export interface ModelCardExtras {
  classNames?: readonly string[];
  /** Overrides of the variant's preprocessing, e.g. `{ normalization: 'unit' }` for a model trained on /255 pixels. */
  preprocessing?: Partial<ModelCard['preprocessing']>;
  /** Default `{ source: 'random' }`. */
  weights?: ModelCard['weights'];
  recipeHash?: string;
}

/**
 * The card of registry model `name` built with `options` (as `createModel(name, options)` builds
 * it): architecture and input size from the options and the variant's defaults, preprocessing from
 * the variant's config (Keras ResNet v1 -> caffe, v2 -> tf, ResNet18/34 -> torch; its crop fraction
 * and interpolation), plus `extras`.
 */
export function modelCardFor(name: string, options: ResNetOptions = {}, extras: ModelCardExtras = {}): ModelCard {
  const config = getModelConfig(name);
  const { weights: _weights, ...architecture } = options;
  const resolved = resolveResNetOptions({ inputShape: [...config.inputSize], ...architecture }, name);
  return parseModelCard({
    format: MODEL_CARD_FORMAT,
    version: MODEL_CARD_VERSION,
    architecture: {
      name,
      options: {
        includeTop: resolved.includeTop,
        ...(resolved.pooling ? { pooling: resolved.pooling } : {}),
        classes: resolved.classes,
        classifierActivation: resolved.classifierActivation,
        zeroInitResidual: resolved.zeroInitResidual,
      },
    },
    inputSize: resolved.inputShape,
    ...(extras.classNames ? { classNames: [...extras.classNames] } : {}),
    preprocessing: { normalization: config.preprocessing.mode, cropPct: config.cropPct, interpolation: config.interpolation, ...extras.preprocessing },
    weights: extras.weights ?? { source: 'random' },
    ...(extras.recipeHash !== undefined ? { recipeHash: extras.recipeHash } : {}),
  });
}
