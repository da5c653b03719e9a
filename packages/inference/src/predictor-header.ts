import { checkNormalization } from '@resnet-ts/data';
import type { ModelCard } from '@resnet-ts/zoo';
import { ClassNamesMismatchError } from './class-names-error';
import type { Predictor, PredictorOverrides } from './predictor';

/** The part of a predictor known from its model card, before any engine runs. */
export type PredictorHeader = Pick<Predictor, 'card' | 'cardNotice' | 'input' | 'classNames'>;

/** What the engine's model really takes and gives, where known (`null`: a free dimension). */
export interface ModelShape {
  /** `[height, width, channels]` of one input image. */
  inputSize: readonly (number | null)[];
  /** Classes in the output; default: as many as the card names (or its architecture's classes). */
  outputs?: number | null;
}

const cardOutputs = (card: ModelCard) => card.classNames?.length ?? (card.architecture.options?.includeTop ? card.architecture.options.classes : undefined);

/**
 * The header of a model: its card's input size (checked against the size the model takes),
 * normalization and class names (one per output), under the caller's overrides.
 */
export function predictorHeader(
  { card, notice }: { card: ModelCard; notice?: string },
  model: ModelShape,
  overrides: PredictorOverrides = {},
): PredictorHeader {
  const size = card.inputSize;
  const takes = model.inputSize;
  if (takes.length !== 3 || takes.some((d, i) => d !== null && d !== size[i])) {
    throw new Error(`model card: inputSize ${JSON.stringify(size)}, but the model takes images ${JSON.stringify(takes)}`);
  }
  const classNames = overrides.classNames ?? card.classNames;
  const outputs = model.outputs ?? cardOutputs(card);
  if (classNames && outputs && classNames.length !== outputs) {
    throw new ClassNamesMismatchError(classNames.length, outputs);
  }
  return {
    card,
    ...(notice ? { cardNotice: notice } : {}),
    // The card's value is schema-checked and an override typed: this narrows, it does not throw.
    input: { size: [...size], normalization: checkNormalization(overrides.normalization ?? card.preprocessing.normalization) },
    ...(classNames ? { classNames: [...classNames] } : {}),
  };
}

/** How many `input.size` images a flat pixel array holds; an error when not a whole, positive number. */
export function imageCount(images: ArrayLike<number>, size: readonly [number, number, number]): number {
  const perImage = size[0] * size[1] * size[2];
  const count = images.length / perImage;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`classify: ${images.length} values are not a whole number of ${size.join('x')} images (${perImage} values each)`);
  }
  return count;
}
