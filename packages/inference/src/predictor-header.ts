import { checkNormalization } from '@resnet-ts/data';
import type { ModelCard } from '@resnet-ts/zoo';
import type { Predictor, PredictorOverrides } from './predictor';

/** The part of a predictor known from its model card, before any engine runs. */
export type PredictorHeader = Pick<Predictor, 'card' | 'cardNotice' | 'input' | 'classNames'>;

/**
 * The header of a model: its card's input size (checked against the size the engine really takes,
 * `null` for a free dimension), normalization and class names, under the caller's overrides.
 */
export function predictorHeader(
  { card, notice }: { card: ModelCard; notice?: string },
  takes: readonly (number | null)[],
  overrides: PredictorOverrides = {},
): PredictorHeader {
  const size = card.inputSize;
  if (takes.length !== 3 || takes.some((d, i) => d !== null && d !== size[i])) {
    throw new Error(`model card: inputSize ${JSON.stringify(size)}, but the model takes images ${JSON.stringify(takes)}`);
  }
  const classNames = overrides.classNames ?? card.classNames;
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
