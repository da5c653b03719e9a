import type { NormalizationPreset } from '@resnet-ts/data';
import { getModelConfig, type ModelCard, type StartingWeightKind } from '@resnet-ts/zoo';
import { StartingWeightsError } from './errors';

/** What the normalization decision needs to know of the starting weights. */
export interface StartingWeightsOrigin {
  spec: string;
  kind: StartingWeightKind;
  path: string;
  /** Their model card, when they came with one (tfjs and run folders). */
  card?: ModelCard;
}

export interface StartingNormalizationOptions {
  /** The registry variant being trained. */
  model: string;
  /** The normalization the user asked for, if any (a flag or a recipe key, not a default). */
  requested?: NormalizationPreset;
  /** Without a card, a request or a registry variant: this one. */
  fallback: NormalizationPreset;
}

export interface StartingNormalization {
  normalization: NormalizationPreset;
  /** Where it comes from, for the start-up line: `the model card of runs/a/model`. */
  reason: string;
}

/**
 * Preprocessing travels with the weights: the normalization a run starting from `weights` must use.
 * A model card decides (asking for another is an error); the Keras ImageNet weights take Keras's
 * `preprocess_input` mode of the variant (v1 `caffe`, v2 `tf`); weights without a card take what
 * was asked, else the variant's registry default, else `fallback`.
 */
export function startingNormalization(weights: StartingWeightsOrigin, options: StartingNormalizationOptions): StartingNormalization {
  const { requested } = options;
  const fixed = (normalization: NormalizationPreset, what: string): StartingNormalization => {
    if (requested !== undefined && requested !== normalization) {
      throw new StartingWeightsError(
        weights.spec,
        `normalization "${requested}" is not the "${normalization}" that ${what} expect; leave the normalization out to use theirs (other pixels would make the pretrained features useless)`,
      );
    }
    return { normalization, reason: what };
  };
  if (weights.card) return fixed(weights.card.preprocessing.normalization, `the starting weights (model card of ${weights.path})`);
  const registered = registryNormalization(options.model);
  if (weights.kind === 'imagenet') {
    if (!registered) throw new StartingWeightsError(weights.spec, `weights "imagenet": ${options.model} is not a registry model, so its ImageNet preprocessing is unknown`);
    return fixed(registered, `the Keras ImageNet weights of ${options.model} (preprocess_input mode "${registered}")`);
  }
  if (requested !== undefined) return { normalization: requested, reason: 'as asked (the starting weights have no model card)' };
  if (registered) return { normalization: registered, reason: `${options.model}'s registry default (the starting weights have no model card)` };
  return { normalization: options.fallback, reason: `the default (the starting weights have no model card and ${options.model} is not a registry model)` };
}

function registryNormalization(model: string): NormalizationPreset | undefined {
  try {
    return getModelConfig(model).preprocessing.mode;
  } catch {
    return undefined;
  }
}
