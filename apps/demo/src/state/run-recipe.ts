/**
 * The demo's training run as a recipe (the trainer's schema): the Train form writes one, and the
 * run saved with each checkpoint is read back through it. The trainer stores the training section
 * as the checkpoint's config; the model and data sections travel in its `metadata.recipe`.
 */
import type { NormalizationPreset } from '@resnet-ts/data';
import { readModelCard, type ModelCard } from '@resnet-ts/zoo';
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

/** A pretrained start, as far as the recipe records it (see `start-from.ts`). */
export interface RecipeStart {
  /** Its URL or file names: the recipe's `model.weights`. */
  label: string;
  architecture: string;
  inputSize: number;
  normalization: NormalizationPreset;
  /** Fine-tuning trains on the images; otherwise the head trains on cached features of the plain images. */
  fineTune: boolean;
}

/**
 * The form as a recipe, over `saved` (a resumed run keeps what the form does not show): synthetic
 * shapes, or the user's images (`memory`: not stored, only their pipeline). With a pretrained
 * `start`, its architecture, input size and normalization win over the form's.
 */
export function formRecipe(form: TrainForm, saved?: Recipe, start?: RecipeStart): RecipeWithData {
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
  const fromStart: RecipeLayer = start
    ? {
        model: { name: start.architecture, weights: start.label },
        data: { imageSize: [start.inputSize, start.inputSize], normalization: start.normalization, augmentation: start.fineTune && form.augment },
      }
    : {};
  return parseRecipe(mergeRecipes(saved ?? {}, fromForm, fromStart), 'the Train form') as RecipeWithData;
}

/**
 * The start of a saved run that began from pretrained weights (resumed, its model comes from the
 * checkpoint's own topology and the form's model fields do not apply), else undefined.
 */
export function savedStart(recipe: RecipeWithData): RecipeStart | undefined {
  if (recipe.model.weights === null) return undefined;
  const { name, weights } = recipe.model;
  const { imageSize, normalization } = recipe.data;
  return { label: weights, architecture: name, inputSize: imageSize[0], normalization, fineTune: !recipe.training.transfer?.cacheFeatures };
}

/**
 * The recipe's training settings for `train()`, carrying the model and data sections (and the
 * model card of a model that is not the registry's) with each checkpoint.
 */
export function trainSettings(recipe: Recipe, card?: ModelCard): TrainConfig {
  return { ...recipe.training, metadata: { recipe: { model: recipe.model, data: recipe.data }, ...(card ? { card } : {}) } };
}

/** The card `trainSettings` saved with the checkpoint, if any. */
export function savedCard(checkpoint: CheckpointData): ModelCard | undefined {
  const card = checkpoint.config.metadata?.card as Record<string, unknown> | undefined;
  return card === undefined ? undefined : readModelCard(card).card;
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

/**
 * The recipe a saved-run note recorded (see `SavedRun`), to show in the form after a reload; undefined
 * when the note has none (an older note) or it no longer validates: the form then keeps its defaults.
 */
export function notedRecipe(value: unknown): RecipeWithData | undefined {
  // Each section an object: the parser would fill a missing one with its defaults, which are not the run's.
  if (value === null || typeof value !== 'object') return undefined;
  const sections = value as Record<string, unknown>;
  if (!['model', 'data', 'training'].every((key) => typeof sections[key] === 'object' && sections[key] !== null)) return undefined;
  try {
    return parseRecipe(sections as RecipeInput, 'the saved run') as RecipeWithData;
  } catch {
    return undefined;
  }
}

/** The recipe of the run saved in `checkpoint`; throws naming the key when it does not validate. */
export function savedRecipe(checkpoint: CheckpointData): RecipeWithData {
  const { metadata, ...training } = checkpoint.config;
  const sections = (metadata?.recipe as Pick<RecipeInput, 'model' | 'data'> | undefined) ?? sectionsOfV01(metadata ?? {});
  const recipe = sections && parseRecipe({ ...sections, training }, 'the saved run');
  if (!recipe?.data) throw new Error('The saved run was not made by this demo; train a new one.');
  return recipe as RecipeWithData;
}
