import { z } from 'zod';
import { MODEL_CARD_NORMALIZATIONS } from './normalizations';
import { describeIssues, ModelCardError } from './parse-model-card';
import { MODEL_CARD_FORMAT, MODEL_CARD_VERSION, type ModelCard } from './schema';

/**
 * Metadata written before model cards: `{ classNames, architecture, normalization }` by
 * resnet-ts 0.1 (`resnet train`, the demo), plus `inputShape` (`resnet export`); run.json's
 * `modelName` and ONNX-style `class_names` as the demo's sidecars had them.
 */
const legacySchema = z.object({
  classNames: z.array(z.string()).optional(),
  class_names: z.array(z.string()).optional(),
  normalization: z.enum(MODEL_CARD_NORMALIZATIONS).optional(),
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]).optional(),
  // A foreign model may use these keys for something else: only a string names the architecture.
  architecture: z.unknown(),
  modelName: z.unknown(),
});

/** What resnet-ts 0.1 did with such models: resize the whole image bilinearly. */
const LEGACY_RESIZE = { cropPct: 1, interpolation: 'bilinear' } as const;

export interface LegacyCard {
  card: ModelCard;
  /** Defaults filled in for the normalization or the class names. */
  assumed: boolean;
  notice?: string;
}

/**
 * A card from metadata that has none: the 0.1 keys where present, else defaults (unit
 * normalization, no class names), with a one-line notice of what was assumed.
 */
export function legacyCard(metadata: Readonly<Record<string, unknown>>, model: { inputSize: () => ModelCard['inputSize']; name?: string }): LegacyCard {
  const parsed = legacySchema.safeParse(metadata);
  if (!parsed.success) throw new ModelCardError(`Invalid model metadata (no model card): ${describeIssues(parsed.error)}`);
  const v0 = parsed.data;
  const classNames = v0.classNames ?? v0.class_names;
  const name = [v0.architecture, v0.modelName, model.name].find((n): n is string => typeof n === 'string' && n.length > 0) ?? 'unknown';
  const card: ModelCard = {
    format: MODEL_CARD_FORMAT,
    version: MODEL_CARD_VERSION,
    architecture: { name },
    inputSize: v0.inputShape ?? model.inputSize(),
    ...(classNames ? { classNames } : {}),
    preprocessing: { normalization: v0.normalization ?? 'unit', ...LEGACY_RESIZE },
    weights: { source: 'unknown' },
  };
  const assumptions = [...(v0.normalization ? [] : ['unit normalization']), ...(classNames ? [] : ['class indices as names'])];
  if (assumptions.length === 0) return { card, assumed: false };
  return { card, assumed: true, notice: `no model card; assuming ${assumptions.join(' and ')}` };
}
