import { z } from 'zod';
import { dataSection } from './data';
import { strictObject } from './fields';
import { parseWith } from './issues';
import { modelSection } from './model';
import { trainingSection } from './training';

export const RECIPE_FORMAT = 'resnet-ts/recipe';
export const RECIPE_VERSION = 1;

/**
 * One typed, versioned description of a whole training run: the model to build, the data to read
 * and the training settings. Every key has a default, so `{}` is the notebook's run (ResNet50 on
 * 64x64 images, Adam at 1e-3, batch 32, 20 epochs) on synthetic shapes.
 */
const recipeSchema = strictObject(
  {
    format: z.literal(RECIPE_FORMAT).default(RECIPE_FORMAT),
    version: z.literal(RECIPE_VERSION).default(RECIPE_VERSION),
    model: modelSection.default({}),
    /** null: the images were given in code and not recorded (a library `trainRun`, a 0.1 run). */
    data: dataSection.nullable().default({}),
    training: trainingSection.default({}),
  },
  'a recipe',
);

/** A recipe with every default filled in (what `parseRecipe` returns and run.json holds). */
export type Recipe = z.output<typeof recipeSchema>;
/** A recipe whose images come from a recorded source (`data` is not null). */
export type RecipeWithData = Recipe & { data: ResolvedDataSourceSpec };
/** A recipe as written: any key may be left out. */
export type RecipeInput = z.input<typeof recipeSchema>;
/** The `model` section with its defaults filled in. */
export type ModelSection = Recipe['model'];
/** The `data` section as written (what `openDataSource` takes). */
export type DataSourceSpec = z.input<typeof dataSection>;
/** The `data` section with its defaults filled in. */
export type ResolvedDataSourceSpec = z.output<typeof dataSection>;

/**
 * Validates a recipe and fills its defaults. Throws a `RecipeError` whose message names each key
 * path and the allowed values (`training.optimizer.type: "nadam" is not one of adam, sgd, rmsprop`),
 * prefixed with `source` (a file name) when given.
 */
export function parseRecipe(input: unknown, source?: string): Recipe {
  return parseWith(recipeSchema, input, [], source);
}

/** The recipe as JSON text (every default filled in, sections in schema order), e.g. for a file. */
export function serializeRecipe(recipe: RecipeInput): string {
  return JSON.stringify(parseRecipe(recipe), null, 2);
}
