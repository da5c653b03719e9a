import type * as tf from '@tensorflow/tfjs';
import { buildResNet } from '../models/build-resnet';
import type { ResNetOptions } from '../models/options';
import { stackFnFor } from '../models/stages';
import type { ModelConfig } from './model-config';
import { BUILTIN_MODELS } from './variants';

const registry = new Map<string, ModelConfig>(BUILTIN_MODELS.map((config) => [config.name, config]));

export interface RegisterModelOptions {
  /** Replace an existing entry of the same name instead of throwing. Default false. */
  overwrite?: boolean;
}

/** Adds a variant to the registry, e.g. `registerModel({ ...getModelConfig('resnet50'), name: 'resnet200', blocksPerStage: [3, 24, 36, 3] })`. */
export function registerModel(config: ModelConfig, options: RegisterModelOptions = {}): void {
  if (registry.has(config.name) && !options.overwrite) {
    throw new Error(`Model ${JSON.stringify(config.name)} is already registered; pass { overwrite: true } to replace it`);
  }
  stackFnFor(config.blockType, config.blocksPerStage, { bnEpsilon: config.bnEpsilon }); // validates the architecture now, not at first build
  registry.set(config.name, structuredClone(config));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Registered model names in registration order, optionally filtered by a `*` wildcard pattern (`'*v2'`). */
export function listModels(pattern?: string): string[] {
  const names = [...registry.keys()];
  if (pattern === undefined) return names;
  const matcher = globToRegExp(pattern);
  return names.filter((name) => matcher.test(name));
}

function lookup(name: string): ModelConfig {
  const config = registry.get(name);
  if (!config) {
    throw new Error(`Unknown model ${JSON.stringify(name)}; available models: ${listModels().join(', ')}`);
  }
  return config;
}

/** A copy of the variant's default configuration (input size, preprocessing, layer names, ...). */
export function getModelConfig(name: string): ModelConfig {
  return structuredClone(lookup(name));
}

/**
 * Builds a registered variant with Keras-style options. The input shape defaults to the variant's
 * `inputSize` and the model name to the variant's name. The caller owns (and disposes) the model.
 */
export function createModel(name: string, options: ResNetOptions = {}): tf.LayersModel {
  const config = lookup(name);
  return buildResNet(
    {
      stackFn: stackFnFor(config.blockType, config.blocksPerStage, { bnEpsilon: config.bnEpsilon }),
      preact: config.preact,
      useBias: config.useBias,
      modelName: config.name,
      bnEpsilon: config.bnEpsilon,
    },
    { inputShape: [...config.inputSize], ...options },
  );
}
