import type { z } from 'zod';
import { parseWith } from './recipe/issues';
import { emaSettings, trainingSection } from './recipe/training';

export { DEFAULT_EMA } from './recipe/training';

/**
 * The JSON-serializable part of a training run (the recipe's `training` section, as written):
 * saved with every checkpoint so `resume` can continue with exactly the same settings. Defaults
 * follow the notebook (Adam, batch 32, 20 epochs); see `TRAIN_DEFAULTS`.
 */
export type TrainConfig = z.input<typeof trainingSection>;

/** A `TrainConfig` with every default filled in. */
export type ResolvedTrainConfig = z.output<typeof trainingSection>;

export type EmaOptions = z.input<typeof emaSettings>;

/** The keys of `TrainConfig`, from the schema. */
const CONFIG_KEYS = Object.keys(trainingSection.shape) as (keyof TrainConfig)[];

/** The TrainConfig fields of an options object (drops model, datasets, callbacks...). */
export function pickConfig(options: TrainConfig): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as TrainConfig;
}

/**
 * Fills defaults and validates, naming the offending key path and the allowed values
 * (`training.epochs: must be >= 1, got 0`); other keys of `config` (a model, datasets) are ignored.
 * Throws a `RecipeError`.
 */
export function resolveTrainConfig(config: TrainConfig): ResolvedTrainConfig {
  return parseWith(trainingSection, pickConfig(config), ['training']);
}

/** Every default of the training settings (the recipe's `training` section). */
export const TRAIN_DEFAULTS: Readonly<ResolvedTrainConfig> = resolveTrainConfig({});
