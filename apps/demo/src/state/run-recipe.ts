/**
 * The demo's training run as a recipe (the trainer's schema): the Train form writes one, and the
 * run saved with each checkpoint is read back through it. The trainer stores the training section
 * as the checkpoint's config; the model and data sections travel in its `metadata.recipe`.
 */
import { mergeRecipes, parseRecipe, type CheckpointData, type Recipe, type RecipeInput, type RecipeLayer, type RecipeWithData, type TrainConfig } from '@resnet-ts/trainer';

/** Seed of the demo's image order and augmentation. */
const DATA_SEED = 7;

/** What the Train form holds. */
export interface TrainForm {
  architecture: string;
  inputSize: number;
  source: 'synthetic' | 'own';
  syntheticClasses: number;
  syntheticCount: number;
  augment: boolean;
  epochs: number;
  batchSize: number;
  lr: number;
}

/**
 * The form as a recipe, over `saved` (a resumed run keeps what the form does not show): synthetic
 * shapes, or the user's images (`memory`: not stored, only their pipeline).
 */
export function formRecipe(form: TrainForm, saved?: Recipe): RecipeWithData {
  const synthetic = form.source === 'synthetic';
  const fromForm: RecipeLayer = {
    model: { name: form.architecture },
    data: {
      kind: synthetic ? 'synthetic' : 'memory',
      imageSize: [form.inputSize, form.inputSize],
      augmentation: form.augment,
      seed: DATA_SEED,
      // The demo trains on the training split only.
      synthetic: synthetic ? { classes: form.syntheticClasses, trainCount: form.syntheticCount } : undefined,
    },
    training: { epochs: form.epochs, batchSize: form.batchSize, lr: form.lr },
  };
  return parseRecipe(mergeRecipes(saved ?? {}, fromForm), 'the Train form') as RecipeWithData;
}

/** The recipe's training settings for `train()`, carrying the model and data sections with each checkpoint. */
export function trainSettings(recipe: Recipe): TrainConfig {
  return { ...recipe.training, metadata: { recipe: { model: recipe.model, data: recipe.data } } };
}

/** The run state the demo of 0.1 stored in `metadata`. */
interface DemoMetadataV01 {
  architecture?: string;
  inputSize?: number;
  source?: 'synthetic' | 'own';
  syntheticClasses?: number;
  syntheticCount?: number;
  augment?: boolean;
}

function sectionsOfV01(meta: DemoMetadataV01): Pick<RecipeInput, 'model' | 'data'> | undefined {
  if (!meta.architecture || !meta.inputSize) return undefined;
  const synthetic = meta.source === 'synthetic';
  return {
    model: { name: meta.architecture, zeroInitResidual: false },
    data: {
      kind: synthetic ? 'synthetic' : 'memory',
      imageSize: [meta.inputSize, meta.inputSize],
      augmentation: meta.augment ?? false,
      seed: DATA_SEED,
      ...(synthetic ? { synthetic: { classes: meta.syntheticClasses, trainCount: meta.syntheticCount } } : {}),
    },
  };
}

/** The recipe of the run saved in `checkpoint`; throws naming the key when it does not validate. */
export function savedRecipe(checkpoint: CheckpointData): RecipeWithData {
  const { metadata, ...training } = checkpoint.config;
  const sections = (metadata?.recipe as Pick<RecipeInput, 'model' | 'data'> | undefined) ?? sectionsOfV01(metadata ?? {});
  const recipe = sections && parseRecipe({ ...sections, training }, 'the saved run');
  if (!recipe?.data) throw new Error('The saved run was not made by this demo; train a new one.');
  return recipe as RecipeWithData;
}
