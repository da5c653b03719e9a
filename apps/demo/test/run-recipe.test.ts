import { describe, expect, it } from 'vitest';
import type { CheckpointData, TrainConfig } from '@resnet-ts/trainer';
import { modelCardFor } from '@resnet-ts/zoo';
import { formRecipe, notedRecipe, savedCard, savedRecipe, savedStart, trainSettings, type RecipeStart, type TrainForm } from '../src/state/run-recipe';

const form: TrainForm = {
  architecture: 'resnet18',
  inputSize: 32,
  source: 'synthetic',
  syntheticClasses: 3,
  syntheticCount: 96,
  augment: false,
  epochs: 2,
  batchSize: 16,
  lr: 0.001,
};
/** What the trainer stores of a run's settings in a checkpoint. */
const checkpointOf = (config: TrainConfig) => ({ config }) as CheckpointData;

describe('the demo run as a recipe', () => {
  it('reads back the recipe its checkpoints carry', () => {
    const recipe = formRecipe(form);
    expect(recipe.model).toMatchObject({ name: 'resnet18', zeroInitResidual: true });
    expect(recipe.data).toMatchObject({ kind: 'synthetic', imageSize: [32, 32], seed: 7, synthetic: { classes: 3, trainCount: 96 } });
    expect(recipe.training).toMatchObject({ epochs: 2, batchSize: 16, lr: 0.001 });
    expect(savedRecipe(checkpointOf(trainSettings(recipe)))).toEqual(recipe);
  });

  it("records the user's own images as memory data: their size and pipeline", () => {
    const recipe = formRecipe({ ...form, source: 'own', augment: true });
    expect(recipe.data).toEqual(expect.objectContaining({ kind: 'memory', imageSize: [32, 32], augmentation: true }));
    expect(recipe.data.synthetic).toBeUndefined();
    expect(savedRecipe(checkpointOf(trainSettings(recipe)))).toEqual(recipe);
  });

  it('reads a run saved by the 0.1 demo, and keeps what the form does not show when resumed', () => {
    const old = checkpointOf({
      epochs: 3,
      batchSize: 8,
      lr: 0.01,
      metadata: { architecture: 'resnet50', inputSize: 64, source: 'synthetic', syntheticClasses: 4, syntheticCount: 40, augment: true },
    });
    const saved = savedRecipe(old);
    expect(saved.model).toMatchObject({ name: 'resnet50', zeroInitResidual: false });
    expect(saved.data).toMatchObject({ kind: 'synthetic', imageSize: [64, 64], augmentation: true, synthetic: { classes: 4, trainCount: 40 } });
    expect(saved.training).toMatchObject({ epochs: 3, batchSize: 8, lr: 0.01 });
    const resumed = formRecipe({ ...form, architecture: 'resnet50', inputSize: 64, syntheticClasses: 4, syntheticCount: 40, augment: true, epochs: 3, batchSize: 8, lr: 0.01 }, saved);
    expect(resumed).toEqual(saved);
  });

  it('records a pretrained start over the form (architecture, size, normalization, no augmentation of cached features) and gets it back from the checkpoint', () => {
    const start: RecipeStart = { label: 'http://127.0.0.1/backbone/model.json', architecture: 'small_resnet', inputSize: 96, normalization: 'torch', fineTune: false };
    const own = { ...form, source: 'own' as const, augment: true };
    const recipe = formRecipe(own, undefined, start);
    expect(recipe.model).toMatchObject({ name: 'small_resnet', weights: start.label });
    expect(recipe.data).toMatchObject({ kind: 'memory', imageSize: [96, 96], normalization: 'torch', augmentation: false });
    expect(formRecipe(own, undefined, { ...start, fineTune: true }).data.augmentation).toBe(true);
    const card = modelCardFor('resnet18', { inputShape: [96, 96, 3], classes: 2 }, { classNames: ['a', 'b'] });
    const checkpoint = checkpointOf({ ...trainSettings(recipe, card), transfer: { freezeBackbone: true, cacheFeatures: true } });
    const saved = savedRecipe(checkpoint);
    expect(savedStart(saved)).toEqual(start);
    expect(savedCard(checkpoint)).toEqual(card);
    // Resumed, the form's model fields (which cannot show small_resnet) do not replace the saved run's.
    expect(formRecipe(own, saved, savedStart(saved)).model.name).toBe('small_resnet');
    expect(savedStart(formRecipe(own))).toBeUndefined();
    expect(savedCard(checkpointOf(trainSettings(formRecipe(own))))).toBeUndefined();
  });

  it('refuses a saved run that is not the demo’s, or whose settings do not validate, naming the key', () => {
    expect(() => savedRecipe(checkpointOf({ epochs: 3 }))).toThrow('The saved run was not made by this demo');
    const recipe = formRecipe(form);
    const broken = { ...trainSettings(recipe), epochs: '3' } as unknown as TrainConfig;
    expect(() => savedRecipe(checkpointOf(broken))).toThrow('the saved run: training.epochs: expected a number, got "3"');
  });

  it('reads back the recipe a saved-run note records (after the structured clone of IndexedDB), and nothing from a missing or damaged one', () => {
    const recipe = formRecipe({ ...form, source: 'own', augment: true, epochs: 5, batchSize: 3, lr: 0.01 });
    const { model, data, training } = structuredClone(recipe);
    expect(notedRecipe({ model, data, training })).toEqual(recipe);
    expect(notedRecipe(undefined)).toBeUndefined();
    expect(notedRecipe('resnet18')).toBeUndefined();
    expect(notedRecipe({ model, training })).toBeUndefined();
    expect(notedRecipe({ model, data: undefined, training })).toBeUndefined();
    expect(notedRecipe({ model, data, training: { ...training, epochs: '5' } })).toBeUndefined();
  });
});
