import { resolve } from 'node:path';
import { formatPath, mergeRecipes, parseRecipe, RECIPE_PRESETS, RecipeError, type Recipe, type RecipeIssue, type RecipeWithData, type RecipeLayer, type RecipePath } from '@resnet-ts/trainer';
import { detectDataSource } from '@resnet-ts/trainer/node';
import { listModels, MAX_INPUT_SIZE, MIN_INPUT_SIZE } from '@resnet-ts/zoo';
import type { NormalizationPreset } from '@resnet-ts/data';
import { readSettingsFile } from '../config-file';
import { UsageError } from '../errors';
import { planStartingWeights, type PlannedStartingWeights } from './train-weights';
import { combineEmaSettings } from './train-ema';
import { combineFeatureCacheSettings } from './train-feature-cache';
import { ENGINE_CHOICES, EXECUTION_PROVIDERS, type EngineChoice, type ExecutionProvider } from './train-engine';

/**
 * Where each `resnet train` flag goes in the recipe. The keys are the flags in camelCase, which
 * are also the keys of a flat `--config` file.
 */
const FLAG_PATHS = {
  model: [['model', 'name']],
  zeroInitResidual: [['model', 'zeroInitResidual']],
  weights: [['model', 'weights']],
  skipMismatch: [['model', 'skipMismatch']],
  seed: [['model', 'seed'], ['data', 'seed'], ['training', 'seed']],
  data: [['data', 'path']],
  inputSize: [['data', 'imageSize']],
  normalization: [['data', 'normalization']],
  augment: [['data', 'augmentation']],
  workers: [['data', 'workers']],
  valFraction: [['data', 'valFraction']],
  h5Keys: [['data', 'hdf5Keys']],
  onError: [['data', 'onError']],
  allowOutsideRoot: [['data', 'allowOutsideRoot']],
  syntheticTrain: [['data', 'synthetic', 'trainCount']],
  syntheticVal: [['data', 'synthetic', 'valCount']],
  syntheticDifficulty: [['data', 'synthetic', 'difficulty']],
  epochs: [['training', 'epochs']],
  batchSize: [['training', 'batchSize']],
  lr: [['training', 'lr']],
  optimizer: [['training', 'optimizer', 'type']],
  momentum: [['training', 'optimizer', 'momentum']],
  nesterov: [['training', 'optimizer', 'nesterov']],
  schedule: [['training', 'schedule', 'type']],
  warmupEpochs: [['training', 'schedule', 'warmupEpochs']],
  stepEvery: [['training', 'schedule', 'everyEpochs']],
  weightDecay: [['training', 'weightDecay']],
  labelSmoothing: [['training', 'labelSmoothing']],
  clipNorm: [['training', 'clipNorm']],
  stepsPerEpoch: [['training', 'maxStepsPerEpoch']],
  earlyStopping: [['training', 'earlyStopping', 'patience']],
  ema: [['training', 'ema']],
  emaEvery: [['training', 'ema', 'every']],
  emaWarmup: [['training', 'ema', 'warmup']],
  freezeBackbone: [['training', 'transfer', 'freezeBackbone']],
  unfreezeFrom: [['training', 'transfer', 'unfreezeFrom']],
  unfreezeEpoch: [['training', 'transfer', 'unfreezeEpoch']],
  backboneLrScale: [['training', 'transfer', 'backboneLrScale']],
  cacheFeatures: [['training', 'transfer', 'cacheFeatures']],
  augmentedCopies: [['training', 'transfer', 'cacheFeatures', 'augmentedCopies']],
  checkpointEvery: [['training', 'checkpointEverySteps']],
  preciseBn: [['training', 'preciseBnBatches']],
} as const satisfies Record<string, readonly RecipePath[]>;

/** The recipe flags of `resnet train`, in camelCase. */
export const RECIPE_FLAGS = Object.keys(FLAG_PATHS) as (keyof typeof FLAG_PATHS)[];
/**
 * Keys of a flat config file besides the recipe flags: how and where this run executes, not what
 * it trains (a recipe is the same run whichever engine steps it).
 */
const RUN_SETTINGS = ['out', 'engine', 'executionProvider'];

/** The run settings of a flat config file or the flags, outside the recipe. */
export interface RunSettings {
  out?: string;
  engine?: EngineChoice;
  executionProvider?: ExecutionProvider;
}

/** How `resnet train --help` explains the recipe and the config file. */
export const RECIPE_HELP = `
Recipe:
  Every run is a recipe (format resnet-ts/recipe, version 1) with three sections: model (name,
  zeroInitResidual, seed, weights, skipMismatch), data (kind, path, imageSize, normalization, augmentation, seed,
  workers, valFraction, hdf5Keys, onError, allowOutsideRoot, synthetic) and training (epochs, batchSize,
  lr, optimizer, schedule, weightDecay, labelSmoothing, clipNorm, earlyStopping, ema, transfer, ...).
  Later wins: defaults < the quickstart preset (synthetic data) < the --config file < flags.
  run.json records the recipe; --print-recipe prints it without training.

  --config takes a JSON or YAML recipe, any key left out, e.g.
      data: { kind: folder, path: ../shared/datasets/signs, imageSize: [64, 64] }
      training: { epochs: 20, optimizer: { type: sgd, momentum: 0.9 } }
  or flat settings named like the flags in camelCase (batchSize: 16, out: runs/x). Data paths are
  relative to the working directory. A full example: examples/signs-recipe.yaml.`;

type Flags = Readonly<Record<string, unknown>>;
type Mapping = Record<string, unknown>;
interface Layer {
  values: RecipeLayer;
  /** How messages name a key of this layer. */
  origin: 'flags' | 'flat-file' | 'recipe-file';
}

const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value);
const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function valueAt(root: unknown, path: RecipePath): unknown {
  return path.reduce<unknown>((node, key) => (isMapping(node) || Array.isArray(node) ? (node as Mapping)[key] : undefined), root);
}

function setAt(root: Mapping, path: RecipePath, value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) node = (node[key] = isMapping(node[key]) ? node[key] : {}) as Mapping;
  node[path[path.length - 1]] = value;
}

const startsWith = (path: RecipePath, prefix: RecipePath) => prefix.every((key, i) => path[i] === key);

/** The flag that sets `path` (or a key below it that `layer` sets). */
function flagOf(path: RecipePath, layer?: Layer): string | undefined {
  const entries = Object.entries(FLAG_PATHS) as [string, readonly RecipePath[]][];
  const above = entries.find(([, paths]) => paths.some((p) => startsWith(path, p)));
  if (above) return above[0];
  return entries.find(([, paths]) => paths.some((p) => startsWith(p, path) && valueAt(layer?.values, p) !== undefined))?.[0];
}

/** A recipe layer from flag values (or a flat config file): each key to its recipe paths. */
function layerOf(settings: Flags, where = ''): Mapping {
  const layer: Mapping = {};
  for (const [key, value] of Object.entries(combineEmaSettings(combineFeatureCacheSettings(settings, where), where))) {
    const paths: readonly RecipePath[] = FLAG_PATHS[key as keyof typeof FLAG_PATHS];
    const mapped = key === 'inputSize' ? [value, value] : value;
    for (const path of paths) setAt(layer, path, mapped);
  }
  return layer;
}

/** Resolves `data.path` against the working directory and fills `data.kind` from what the path is. */
async function locateData(layer: Mapping, name: string): Promise<void> {
  const data = layer.data;
  if (!isMapping(data) || typeof data.path !== 'string') return;
  if (data.path === 'synthetic') {
    Object.assign(data, { kind: 'synthetic', path: undefined });
    return;
  }
  const kind = await detectDataSource(data.path).catch((error: Error) => {
    throw new UsageError(`${name}: ${error.message}`);
  });
  if (data.kind !== undefined && data.kind !== kind) throw new UsageError(`${name}: data.kind is ${JSON.stringify(data.kind)} but ${data.path} is ${kind} data`);
  Object.assign(data, { kind, path: resolve(data.path) });
}

/**
 * A `--config` file as a recipe layer: a (partial) recipe, or flat flag-named settings. Its data
 * path is checked unless `--data` replaces it.
 */
async function fileLayer(file: string, locate: boolean): Promise<{ layer: Layer; run: RunSettings }> {
  const settings = await readSettingsFile(file);
  const isRecipe = ['format', 'version', 'training'].some((key) => key in settings) || isMapping(settings.model) || isMapping(settings.data) || settings.data === null;
  if (isRecipe) {
    if (locate) await locateData(settings, `--config ${file}: data.path`);
    return { layer: { values: settings as RecipeLayer, origin: 'recipe-file' }, run: {} };
  }
  const { out, engine, executionProvider, ...rest } = settings;
  const unknown = Object.keys(rest).find((key) => !(key in FLAG_PATHS));
  if (unknown !== undefined) {
    throw new UsageError(
      `--config ${file}: unknown setting "${unknown}" (settings are the flag names in camelCase, e.g. batchSize, or ${RUN_SETTINGS.join(', ')}; ` +
        'or write a recipe with model, data and training sections)',
    );
  }
  const values = layerOf(rest, `--config ${file}: `);
  if (locate) await locateData(values, `--config ${file}: data`);
  return { layer: { values: values as RecipeLayer, origin: 'flat-file' }, run: runSettingsOf(file, { out, engine, executionProvider }) };
}

/** The run settings of a flat config file, checked: `--config f.yaml: engine: "fast" is not one of auto, onnx, tfjs`. */
function runSettingsOf(file: string, values: Record<keyof RunSettings, unknown>): RunSettings {
  const { out, engine, executionProvider } = values;
  const bad = (key: string, value: unknown, expected: string) => new UsageError(`--config ${file}: ${key}: expected ${expected}, got ${JSON.stringify(value)}`);
  if (out !== undefined && typeof out !== 'string') throw bad('out', out, 'a folder name');
  if (engine !== undefined && !ENGINE_CHOICES.includes(engine as EngineChoice)) throw bad('engine', engine, `one of ${ENGINE_CHOICES.join(', ')}`);
  if (executionProvider !== undefined && !EXECUTION_PROVIDERS.includes(executionProvider as ExecutionProvider)) {
    throw bad('executionProvider', executionProvider, `one of ${EXECUTION_PROVIDERS.join(', ')}`);
  }
  return Object.fromEntries(Object.entries({ out, engine, executionProvider }).filter(([, value]) => value !== undefined)) as RunSettings;
}

/** An issue as the user wrote the value: `--epochs: ...`, `--config f.yaml: epochs: ...`, or the key path. */
function describe(issue: RecipeIssue, flags: Layer, file: Layer | undefined, configPath: string | undefined): string {
  const set = (layer: Layer | undefined) => layer !== undefined && valueAt(layer.values, issue.path) !== undefined;
  const path = formatPath(issue.path);
  if (set(flags)) return `--${kebab(flagOf(issue.path, flags)!)} (${path}): ${issue.message}`;
  if (set(file)) return `--config ${configPath}: ${file!.origin === 'flat-file' ? (flagOf(issue.path, file) ?? path) : path}: ${issue.message}`;
  const flag = flagOf(issue.path);
  return `${path}${flag ? ` (--${kebab(flag)})` : ''}: ${issue.message}`;
}

/** What `resnet train` cannot do with a valid recipe: models outside the registry, starting weights... */
function trainableIssues(recipe: Recipe): RecipeIssue[] {
  const issues: RecipeIssue[] = [];
  const models = listModels();
  if (!models.includes(recipe.model.name)) issues.push({ path: ['model', 'name'], message: `"${recipe.model.name}" is not one of ${models.join(', ')} (see \`resnet models\`)` });
  if (recipe.model.skipMismatch && recipe.model.weights === null) issues.push({ path: ['model', 'skipMismatch'], message: 'needs starting weights (--weights) to skip layers of' });
  if (recipe.data === null || recipe.data.kind === 'memory') issues.push({ path: ['data', 'kind'], message: 'resnet train reads synthetic, folder, csv or hdf5 data' });
  const size = recipe.data?.imageSize ?? [];
  if (size.some((n) => n < MIN_INPUT_SIZE || n > MAX_INPUT_SIZE)) {
    issues.push({ path: ['data', 'imageSize'], message: `must be from ${MIN_INPUT_SIZE} to ${MAX_INPUT_SIZE} for a ResNet, got [${size.join(', ')}]` });
  }
  return issues;
}

/** A `resnet train` run: its recipe (with a data source) and, outside the recipe, the run folder and engine. */
export interface TrainPlan extends RunSettings {
  recipe: RecipeWithData;
  /** `model.weights`, checked on disk, with the normalization they decided (see train-weights.ts). */
  startingWeights?: PlannedStartingWeights;
}

/**
 * The recipe of `resnet train` from its explicit flags and `--config` file, validated before any
 * data is opened: defaults < quickstart preset (synthetic data) < config file < flags. Every
 * problem is a UsageError (exit 2) naming the flag, or the file and key.
 */
export async function trainRecipe(explicit: Flags, configPath?: string): Promise<TrainPlan> {
  const { out: flagOut, engine: flagEngine, executionProvider: flagProvider, ...recipeFlags } = explicit;
  const flagValues = layerOf(recipeFlags);
  await locateData(flagValues, `--data ${String(recipeFlags.data)}`);
  const file = configPath !== undefined ? await fileLayer(configPath, recipeFlags.data === undefined) : undefined;
  const flags: Layer = { values: flagValues as RecipeLayer, origin: 'flags' };
  const layers = [file?.layer.values ?? {}, flags.values];
  const kind = (mergeRecipes(...layers).data as { kind?: string } | null | undefined)?.kind;
  const preset = kind === undefined || kind === 'synthetic' ? RECIPE_PRESETS.quickstart : {};
  const fail = (issues: readonly RecipeIssue[]) => new UsageError(issues.map((issue) => describe(issue, flags, file?.layer, configPath)).join('; '));
  let recipe: Recipe;
  try {
    recipe = parseRecipe(mergeRecipes(preset, ...layers));
  } catch (error) {
    throw error instanceof RecipeError ? fail(error.issues) : error;
  }
  const issues = trainableIssues(recipe);
  if (issues.length > 0) throw fail(issues);
  const requested = valueAt(mergeRecipes(...layers), ['data', 'normalization']) as NormalizationPreset | undefined;
  const started = await planStartingWeights(recipe, requested);
  if ('issues' in started) throw fail(started.issues);
  recipe = started.recipe;
  const run: RunSettings = { ...file?.run };
  if (flagOut !== undefined) run.out = flagOut as string;
  if (flagEngine !== undefined) run.engine = flagEngine as EngineChoice;
  if (flagProvider !== undefined) run.executionProvider = flagProvider as ExecutionProvider;
  return { recipe: recipe as RecipeWithData, ...run, ...(started.planned ? { startingWeights: started.planned } : {}) };
}
