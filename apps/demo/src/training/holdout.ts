/**
 * Honest numbers for "My images": a share of each class is held out of training (the data
 * package's stratified, seeded split) and the trained model is scored on it afterwards.
 */
import { stratifiedSplit } from '@resnet-ts/data';

/** Share of each class held out: 15 %, rounded, at least one image when the class has two or more. */
export const HOLDOUT_FRACTION = 0.15;
/** Fewer images than this in a class make its held-out score a coin toss: say so. */
export const FEW_IMAGES = 5;
/** Seed of the split: the same images are held out on every run over the same classes. */
const HOLDOUT_SEED = 17;

export interface Holdout<T> {
  train: T[];
  heldOut: T[];
  /** One line per class with too few images (none held out, or too few to trust). */
  warnings: string[];
}

/**
 * Splits `items` (each with the index of its class in `classNames`) into training and held-out
 * images. A class with fewer than 2 images keeps them all for training and gets a warning.
 */
export function holdOut<T extends { label: number }>(items: readonly T[], classNames: readonly string[]): Holdout<T> {
  const split = stratifiedSplit(
    items.map((item) => item.label),
    { valFraction: HOLDOUT_FRACTION, seed: HOLDOUT_SEED },
  );
  const counts = classNames.map((_, c) => items.filter((item) => item.label === c).length);
  const warnings = classNames.flatMap((name, c) => {
    if (counts[c] < 2) return [`"${name}" has ${counts[c]} image${counts[c] === 1 ? '' : 's'}: none is held out, so its score is unknown. Add at least ${FEW_IMAGES}.`];
    if (counts[c] < FEW_IMAGES) return [`"${name}" has only ${counts[c]} images: its held-out score rests on one image. Add at least ${FEW_IMAGES}.`];
    return [];
  });
  return { train: [...split.train].map((i) => items[i]), heldOut: [...split.val].map((i) => items[i]), warnings };
}
