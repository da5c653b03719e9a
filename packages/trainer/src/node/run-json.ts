import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pickConfig, type TrainConfig } from '../config';
import { parseRecipe, recipeHash, type Recipe, type RecipeInput } from '../recipe';
import type { StartingWeightsRecord } from '@resnet-ts/zoo';
import { writeFileAtomic } from '@resnet-ts/zoo/node';

export const RUN_FORMAT = 'resnet-ts/run';

/** run.json (version 2): the run's recipe, its hash and the class names it was trained on. */
export interface RunInfo {
  format: typeof RUN_FORMAT;
  version: 2;
  createdAt: string;
  recipe: Recipe;
  classNames: string[];
  /** `recipeHash(recipe)`. */
  recipeHash: string;
  /** The weights training started from (`recipe.model.weights` as found on disk, with its hash). */
  startingWeights?: StartingWeightsRecord;
}

/** run.json as 0.1 wrote it: the config, with the CLI's model and data in `config.metadata`. */
interface RunJsonV1 {
  format: typeof RUN_FORMAT;
  version: 1;
  createdAt: string;
  modelName?: string;
  classNames: string[];
  config: TrainConfig;
}

/** The keys 0.1's `resnet train` kept in `config.metadata`, which are recipe sections now. */
interface CliMetadataV1 {
  model?: string;
  inputSize?: number;
  zeroInitResidual?: boolean;
  data?: RecipeInput['data'];
}

/** A 0.1 run as a recipe: `config` is the training section; the CLI's metadata gives model and data. */
function recipeOfV1(json: RunJsonV1): RecipeInput {
  const { metadata, ...training } = pickConfig(json.config ?? {});
  const { model, inputSize: _size, zeroInitResidual, data, ...rest } = (metadata ?? {}) as CliMetadataV1 & Record<string, unknown>;
  const name = model ?? json.modelName;
  return {
    model: { ...(name !== undefined ? { name } : {}), ...(zeroInitResidual !== undefined ? { zeroInitResidual } : {}) },
    data: data ?? null,
    training: { ...training, ...(Object.keys(rest).length > 0 ? { metadata: rest } : {}) },
  };
}

/** Reads `<runDir>/run.json` (version 2, or 1 as written by 0.1, as a recipe); null when there is none. */
export async function readRunInfo(runDir: string): Promise<RunInfo | null> {
  const path = join(resolve(runDir), 'run.json');
  if (!(await stat(path).catch(() => null))) return null;
  const json = JSON.parse(await readFile(path, 'utf8')) as { format?: unknown; version?: unknown };
  if (json.format !== RUN_FORMAT) throw new Error(`${path}: not a resnet-ts run (format ${JSON.stringify(json.format)}, expected "${RUN_FORMAT}").`);
  if (json.version === 1) {
    const v1 = json as RunJsonV1;
    const recipe = parseRecipe(recipeOfV1(v1), path);
    return { format: RUN_FORMAT, version: 2, createdAt: v1.createdAt, recipe, classNames: v1.classNames, recipeHash: recipeHash(recipe) };
  }
  if (json.version !== 2) throw new Error(`${path}: run.json version ${JSON.stringify(json.version)} is not one this resnet-ts reads (1, 2); update resnet-ts.`);
  const v2 = json as RunInfo;
  const recipe = parseRecipe(v2.recipe, `${path} (recipe)`);
  return { ...v2, recipe };
}

/** Writes run.json for a new run: the recipe with its defaults filled in, and its hash. */
export async function writeRunJson(runDir: string, recipe: Recipe, classNames: string[], startingWeights?: StartingWeightsRecord): Promise<void> {
  const json: RunInfo = {
    format: RUN_FORMAT,
    version: 2,
    createdAt: new Date().toISOString(),
    recipe,
    classNames,
    recipeHash: recipeHash(recipe),
    ...(startingWeights ? { startingWeights } : {}),
  };
  await writeFileAtomic(join(runDir, 'run.json'), JSON.stringify(json, null, 2));
}
