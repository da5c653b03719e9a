import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { NormalizationPreset } from '@resnet-ts/data';
import { startingNormalization, StartingWeightsError, type Recipe, type RecipeIssue, type StartingNormalization } from '@resnet-ts/trainer';
import { createProgressBar } from '@resnet-ts/zoo/node';
import { loadStartingWeights, resolveStartingWeights, type LoadedStartingWeights, type StartingWeights } from '@resnet-ts/trainer/node';
import { CliError } from '../errors';
import { warnLine } from '../output';

/** `resnet train --weights`: what the recipe phase found (files are checked, nothing is loaded or downloaded). */
export interface PlannedStartingWeights {
  spec: string;
  /** Found on disk; absent for `imagenet`, which is fetched when the model is built. */
  found?: StartingWeights;
  normalization: StartingNormalization;
  skipMismatch: boolean;
}

const IMAGENET = 'imagenet';

/** The normalization a run gets when nothing is asked and the weights do not decide (the recipe default). */
const CLI_DEFAULT_NORMALIZATION: NormalizationPreset = 'unit';

/**
 * Checks `recipe.model.weights` and settles the run's normalization from them (preprocessing
 * travels with the weights). Returns the recipe with the weights' path made absolute and the
 * normalization decided, or the issues to report (on model.weights or data.normalization).
 */
export async function planStartingWeights(
  recipe: Recipe,
  requested: NormalizationPreset | undefined,
): Promise<{ recipe: Recipe; planned?: PlannedStartingWeights } | { issues: RecipeIssue[] }> {
  if (recipe.model.weights === null) return { recipe };
  // Paths are relative to the working directory, as data paths; run.json records them absolute.
  const spec = recipe.model.weights === IMAGENET ? IMAGENET : resolve(recipe.model.weights);
  let found: StartingWeights | undefined;
  try {
    if (spec !== IMAGENET) found = await resolveStartingWeights(spec, { model: recipe.model.name });
  } catch (error) {
    if (error instanceof StartingWeightsError) return { issues: [{ path: ['model', 'weights'], message: error.message }] };
    throw error;
  }
  // A card names the architecture the weights belong to: loading them into another (resnet50, the
  // default, when --model was left out) would match almost nothing, silently under --skip-mismatch.
  const architecture = found?.card?.architecture.name;
  if (architecture !== undefined && architecture !== recipe.model.name) {
    return { issues: [{ path: ['model', 'name'], message: `the starting weights ${spec} are a ${architecture} (their model card), not a ${recipe.model.name}: add --model ${architecture}` }] };
  }
  let normalization: StartingNormalization;
  try {
    normalization = startingNormalization(found ?? { spec, kind: 'imagenet', path: IMAGENET }, { model: recipe.model.name, requested, fallback: CLI_DEFAULT_NORMALIZATION });
  } catch (error) {
    if (error instanceof StartingWeightsError) return { issues: [{ path: ['data', 'normalization'], message: error.message }] };
    throw error;
  }
  return {
    recipe: { ...recipe, model: { ...recipe.model, weights: spec }, data: recipe.data && { ...recipe.data, normalization: normalization.normalization } },
    planned: { spec, ...(found ? { found } : {}), normalization, skipMismatch: recipe.model.skipMismatch === true },
  };
}

/** Warnings about the recipe's transfer settings without starting weights. */
export function transferNotices(recipe: Recipe): string[] {
  const transfer = recipe.training.transfer;
  if (recipe.model.weights !== null || !(transfer?.freezeBackbone || transfer?.unfreezeFrom)) return [];
  return ['resnet: --freeze-backbone / --unfreeze-from without --weights: the frozen layers keep their random initial weights'];
}

/**
 * Loads the planned starting weights into `model` and reports them: one line (what was loaded,
 * what was skipped, from where, which normalization), and every skipped layer with its reason
 * when `verbose`. A layer that does not fit is an error (exit 1) naming it and --skip-mismatch.
 */
export async function loadPlannedWeights(model: tf.LayersModel, planned: PlannedStartingWeights, verbose: boolean): Promise<LoadedStartingWeights> {
  let loaded: LoadedStartingWeights;
  try {
    const weights = planned.found ?? (await resolveStartingWeights(planned.spec, { model: model.name, includeTop: outputUnits(model) === 1000, onProgress: createProgressBar() }));
    loaded = await loadStartingWeights(model, weights, { skipMismatch: planned.skipMismatch });
  } catch (error) {
    if (error instanceof StartingWeightsError) throw new CliError(`--weights ${planned.spec}: ${error.message}`);
    throw error;
  }
  const { record, skipped } = loaded;
  const skippedText = skipped.length === 0 ? 'nothing skipped' : `skipped ${skipped.map((s) => s.layer).join(', ')} (left at their initial weights)`;
  warnLine(
    `resnet: starting weights ${record.path} (${record.kind}): ${loaded.loaded.length} layers loaded, ${skippedText}; ` +
      `normalization ${planned.normalization.normalization} from ${planned.normalization.reason}`,
  );
  if (verbose) {
    warnLine(`resnet: starting weights sha256 ${record.sha256}, ${record.bytes} bytes`);
    for (const s of skipped) warnLine(`resnet:   skipped ${s.layer}${s.fileLayer ? ` (file layer ${s.fileLayer})` : ''}: ${s.reason}`);
    if (loaded.unusedFileLayers.length > 0) warnLine(`resnet:   unused file layers: ${loaded.unusedFileLayers.join(', ')}`);
  }
  return loaded;
}

function outputUnits(model: tf.LayersModel): number | undefined {
  const shape = model.outputs[0]?.shape;
  return shape?.length === 2 ? (shape[1] ?? undefined) : undefined;
}
