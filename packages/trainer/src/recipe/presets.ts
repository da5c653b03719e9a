import type { RecipeInput } from './recipe';

/**
 * Named partial recipes that go under a recipe file and flags (see `mergeRecipes`).
 *
 * `quickstart` is `resnet train` without data: ResNet50 on `easy` synthetic shapes at 32x32, the
 * notebook's Adam and batch 32, 4 epochs of 24 steps (about two minutes on 2 wasm threads).
 * Residual branches start at zero (the model default) and gradients are clipped to norm 1 (Adam's
 * first steps otherwise swing the 2048-input classifier far past the optimum). Precise BN (8
 * batches, the default) stands in for BatchNorm moving averages, which lag far behind in a run this short.
 */
export const RECIPE_PRESETS: Readonly<Record<'quickstart', RecipeInput>> = {
  quickstart: {
    data: { kind: 'synthetic', imageSize: [32, 32], synthetic: { trainCount: 768, valCount: 96, difficulty: 'easy' } },
    training: { epochs: 4, clipNorm: 1 },
  },
};
