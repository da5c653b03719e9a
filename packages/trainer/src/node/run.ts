import * as tf from '@tensorflow/tfjs';
import { readModelCard, type ModelCard, type StartingWeightsRecord } from '@resnet-ts/zoo';
import { fileIO, writeFileAtomic } from '@resnet-ts/zoo/node';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { historyToCsv, toJsonl } from '../callbacks/history-format';
import type { TrainerCallback } from '../callbacks/types';
import { artifactsToModel, disposeCheckpoint, modelToArtifacts } from '../checkpoint';
import { pickConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import { NonFiniteLossError } from '../errors';
import { evaluate, type EvaluationResult } from '../evaluate';
import { parseRecipe, type Recipe, type RecipeInput } from '../recipe';
import { renderReport } from '../report/html';
import { train, type TrainOptions, type TrainResult } from '../train';
import { FolderCheckpointStore, readableFolder } from './checkpoint-folder';
import { linkIdenticalFiles } from './link-identical';
import { openRunFolder, removeCreatedFolder } from './run-folder';
import { firstModelFolder, runModelCandidates } from './run-model-folder';
import { readRunInfo, writeRunJson } from './run-json';

/**
 * Run directory layout:
 *   run.json                  the recipe (model, data, training), its hash, class names, creation time
 *   checkpoints/last|best/    model/ + optimizer + EMA + state.json (atomic folder swaps)
 *   metrics.jsonl, history.csv  rewritten atomically after every epoch
 *   model/                    final model (tfjs format) for predict / export / the demo
 *   evaluation.json, report.html
 */
export interface RunOptions extends Omit<TrainOptions, 'store' | 'resumeFrom' | 'evaluateAtEnd'> {
  runDir: string;
  /** Images of misclassified samples in the report. Default 24. */
  reportImages?: number;
  /** Title of report.html. Default: the model name. */
  title?: string;
  /**
   * The recipe sections the trainer does not see, recorded in run.json: how the model was built and
   * where the data came from. Default: the model's name, and data null (given in code). The
   * training section is this run's own settings.
   */
  recipe?: Pick<RecipeInput, 'model' | 'data'>;
  /**
   * Which checkpoints stay once the run completes (Lightning's `save_last` / `save_top_k`): `all`
   * (default: `last`, with the optimizer state, to continue with `resumeRun({ epochs })`, and
   * `best`), `last`, `best` (weights only), or `none` (only the final `model/`). While the run
   * trains both are kept, since a killed run resumes from `last`.
   */
  keepCheckpoints?: KeepCheckpoints;
  /** One-line notices (a stale lock taken over, debris of a killed run removed). Default: stderr. */
  onNotice?: (message: string) => void;
  /** The weights `model` was loaded with before training (`loadStartingWeights(...).record`), recorded in run.json. */
  startingWeights?: StartingWeightsRecord;
}

export const KEEP_CHECKPOINTS = ['all', 'last', 'best', 'none'] as const;
export type KeepCheckpoints = (typeof KEEP_CHECKPOINTS)[number];

export interface RunResult {
  runDir: string;
  result: TrainResult;
  evaluation?: EvaluationResult;
}

export const deflate = (bytes: Uint8Array): Uint8Array => new Uint8Array(deflateSync(bytes));

/** Writes metrics.jsonl (epochs, sampled steps, evaluation) and history.csv. */
async function writeMetrics(runDir: string, result: Pick<TrainResult, 'history' | 'steps'>, evaluation?: EvaluationResult) {
  const records: object[] = [
    ...result.steps.map((s) => ({ type: 'step', ...s })),
    ...result.history.map((h) => ({ type: 'epoch', ...h })),
  ];
  if (evaluation) {
    const { misclassified: _m, ...rest } = evaluation;
    records.push({ type: 'evaluation', ...rest });
  }
  await writeFileAtomic(join(runDir, 'metrics.jsonl'), toJsonl(records));
  await writeFileAtomic(join(runDir, 'history.csv'), historyToCsv(result.history));
}

/** Writes model/, evaluation.json, metrics.jsonl, history.csv and report.html for a finished run. */
export async function finishRun(
  runDir: string,
  model: tf.LayersModel,
  result: Pick<TrainResult, 'history' | 'steps' | 'config' | 'classNames' | 'evaluation'>,
  options: { val?: TrainingDataset; title?: string; reportImages?: number; batchSize?: number } = {},
): Promise<EvaluationResult | undefined> {
  await fileIO(join(runDir, 'model')).save!(await modelToArtifacts(model));
  // The final weights are usually those of `last` or `best`: store them once.
  const checkpoints = [join(runDir, 'checkpoints', 'last', 'model'), join(runDir, 'checkpoints', 'best', 'model')];
  await linkIdenticalFiles(join(runDir, 'model'), checkpoints);
  // The run's engine evaluated the final model when it could (train's `evaluateAtEnd`).
  const evaluation = result.evaluation ?? (options.val
    ? await evaluate(model, options.val, {
        batchSize: options.batchSize ?? result.config.batchSize,
        classNames: result.classNames,
        keepMisclassified: options.reportImages ?? 24,
      })
    : undefined);
  if (evaluation) {
    const { misclassified: _m, ...json } = evaluation;
    await writeFileAtomic(join(runDir, 'evaluation.json'), JSON.stringify(json, null, 2));
  }
  await writeMetrics(runDir, result, evaluation);
  const html = renderReport({
    title: options.title ?? `Training report: ${model.name}`,
    history: result.history,
    steps: result.steps,
    ...(evaluation ? { evaluation } : {}),
    summary: { ...pickConfig(result.config), classes: result.classNames.join(', ') },
    deflate,
  });
  await writeFileAtomic(join(runDir, 'report.html'), html);
  return evaluation;
}

async function runWithStore(
  options: RunOptions,
  extra: Pick<TrainOptions, 'resumeFrom'>,
): Promise<RunResult> {
  const runDir = resolve(options.runDir);
  const store = new FolderCheckpointStore(runDir);
  const history: TrainResult['history'] = [];
  const logger: TrainerCallback = {
    onEpochEnd: async (_epoch, logs) => {
      history.push(logs);
      await writeMetrics(runDir, { history: [...(extra.resumeFrom?.state.history ?? []), ...history], steps: [] });
    },
  };
  let result: TrainResult;
  try {
    const evaluateAtEnd = options.val ? { evaluateAtEnd: { data: options.val, options: { keepMisclassified: options.reportImages ?? 24 } } } : {};
    result = await train({ ...options, store, ...extra, ...evaluateAtEnd, callbacks: [...(options.callbacks ?? []), logger] });
  } catch (error) {
    if (error instanceof NonFiniteLossError) await writeMetrics(runDir, { history: error.history, steps: [] });
    throw error;
  }
  if (result.stopReason === 'aborted' || result.stopReason === 'stopped') {
    await writeMetrics(runDir, result);
    return { runDir, result };
  }
  const evaluation = await finishRun(runDir, options.model, result, options);
  await dropCheckpoints(runDir, options.keepCheckpoints ?? 'all');
  return { runDir, result, ...(evaluation ? { evaluation } : {}) };
}

/** Removes the checkpoints of a completed run that `keep` does not name (with their `.old` copies). */
async function dropCheckpoints(runDir: string, keep: KeepCheckpoints): Promise<void> {
  const drop = { all: [], last: ['best'], best: ['last'], none: ['last', 'best'] }[keep];
  for (const tag of drop) {
    const folder = join(runDir, 'checkpoints', tag);
    await rm(folder, { recursive: true, force: true });
    await rm(`${folder}.old`, { recursive: true, force: true });
  }
}

const stderrNotice = (message: string) => void process.stderr.write(`${message}\n`);

/**
 * Trains into a run directory (created if needed): checkpoints, metrics, final model and report.
 * The folder is locked while the run trains (a second process on it is refused); when the run
 * fails before its first checkpoint (bad input found at setup), what this call created is removed.
 */
export async function trainRun(options: RunOptions): Promise<RunResult> {
  const runDir = resolve(options.runDir);
  const { lock, created } = await openRunFolder(runDir, { create: true, onNotice: options.onNotice ?? stderrNotice });
  try {
    if (await readableFolder(join(runDir, 'checkpoints', 'last'))) {
      throw new Error(`${runDir} already holds a training run: resume it (--resume ${options.runDir}) or choose another output folder.`);
    }
    await writeRunJson(runDir, runRecipe(options), [...options.train.classNames], options.startingWeights);
    try {
      return await runWithStore(options, {});
    } catch (error) {
      if (!(error instanceof NonFiniteLossError) && !(await readableFolder(join(runDir, 'checkpoints', 'last')))) {
        await removeUnstartedRun(runDir, created);
      }
      throw error;
    }
  } finally {
    await lock.release();
  }
}

/** Removes what a run that never trained a checkpoint wrote: the folders it created, else its files. */
async function removeUnstartedRun(runDir: string, created: string | undefined): Promise<void> {
  if (created) {
    await removeCreatedFolder(runDir, created);
    return;
  }
  for (const name of ['run.json', 'metrics.jsonl', 'history.csv', 'checkpoints']) await rm(join(runDir, name), { recursive: true, force: true });
}

/** The recipe of a run started with `options`. */
function runRecipe(options: RunOptions): Recipe {
  const { model, data = null } = options.recipe ?? {};
  return parseRecipe({ model: { name: options.model.name, ...model }, data, training: pickConfig(options) });
}

export interface ResumeOptions extends Omit<RunOptions, 'model'> {
  /** Use this model (same architecture) instead of rebuilding it from the checkpoint's model.json. */
  model?: tf.LayersModel;
}

/**
 * Continues the run in `runDir` from its `last` checkpoint: weights, optimizer moments, schedule,
 * epoch and batch position, early-stopping and best-metric state. Config fields given in
 * `options` (e.g. more `epochs`) override the saved ones.
 */
export async function resumeRun(options: ResumeOptions): Promise<RunResult & { model: tf.LayersModel }> {
  const runDir = resolve(options.runDir);
  const { lock } = await openRunFolder(runDir, { create: false, onNotice: options.onNotice ?? stderrNotice });
  try {
    return await resumeLocked(runDir, options);
  } finally {
    await lock.release();
  }
}

async function resumeLocked(runDir: string, options: ResumeOptions): Promise<RunResult & { model: tf.LayersModel }> {
  const checkpoint = await new FolderCheckpointStore(runDir).load('last');
  if (!checkpoint) throw new Error(`${runDir}: no checkpoint to resume from (expected checkpoints/last/state.json).`);
  try {
    const model = options.model ?? (await artifactsToModel(checkpoint.model));
    const names = [...options.train.classNames];
    if (names.join('\n') !== checkpoint.classNames.join('\n')) {
      throw new Error(
        `${runDir}: the run was trained on classes [${checkpoint.classNames.join(', ')}] but the data now has [${names.join(', ')}]; resume with the same data.`,
      );
    }
    const run = await runWithStore({ ...options, model }, { resumeFrom: checkpoint });
    return { ...run, model };
  } finally {
    disposeCheckpoint(checkpoint);
  }
}

export interface LoadedRunModel {
  model: tf.LayersModel;
  /** The model folder that was loaded. */
  source: string;
  /**
   * The model's card (class names, normalization, architecture...). A model without one is read
   * from its 0.1 metadata and, in a run folder, run.json (class names, the data's normalization).
   */
  card: ModelCard;
  /** One line saying what was assumed (e.g. unit normalization) when the model had no card. */
  cardNotice?: string;
  /** The run's recipe, when `path` is a run folder. */
  recipe?: Recipe;
}

/**
 * Loads a model for evaluation or prediction from a run directory (its final `model/`, else the
 * best or last checkpoint) or from a tfjs model folder, with its model card (`readModelCard`).
 */
export async function loadRunModel(path: string): Promise<LoadedRunModel> {
  const root = resolve(path);
  const info = await readRunInfo(root);
  const candidates = info ? runModelCandidates(root) : [root];
  const folder = await firstModelFolder(candidates);
  if (!folder) throw new Error(`${root}: no model found (looked for ${candidates.map((c) => join(c, 'model.json')).join(', ')}).`);
  const model = await tf.loadLayersModel(fileIO(folder));
  const sidecar = info ? { classNames: info.classNames, modelName: info.recipe.model.name, normalization: info.recipe.data?.normalization } : undefined;
  try {
    const { card, notice } = readModelCard(model, { sidecar });
    return { model, source: folder, card, ...(notice ? { cardNotice: notice } : {}), ...(info ? { recipe: info.recipe } : {}) };
  } catch (error) {
    model.dispose();
    throw new Error(`${join(folder, 'model.json')}: ${(error as Error).message}`);
  }
}
