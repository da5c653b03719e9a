import { canonicalWeightName, type KerasLayerWeights, type KerasWeight } from './keras-file';
import { notebookToKerasName } from '@resnet-ts/blocks';

/** What a model layer expects: its name and its weights (short name + shape), in order. */
export interface ExpectedLayer {
  name: string;
  weights: Array<{ name: string; shape: number[] }>;
}

/** How model layers find their file layers: by name (both ResNet namings) or by order of layers with weights. */
export type LayerMatching = 'auto' | 'name' | 'topology';

export interface SkippedLayer {
  /** The model layer left with its current weights. */
  layer: string;
  /** The file layer it was paired with, if any. */
  fileLayer?: string;
  reason: string;
}

export interface LayerAssignment {
  layer: string;
  fileLayer: string;
  /** File weights in the order of the model layer's weights. */
  weights: KerasWeight[];
}

export interface WeightAssignmentPlan {
  strategy: 'name' | 'topology';
  assignments: LayerAssignment[];
  skipped: SkippedLayer[];
  /** File layers with weights that no model layer took. */
  unusedFileLayers: string[];
}

export interface PlanOptions {
  matching: LayerMatching;
  skipMismatch: boolean;
  /** The file in messages. */
  label: string;
  /** The model layer a file layer stands for when its name is another scheme (torch `layer1.0.conv1`); undefined: none. */
  fileLayerToModelName?: (fileLayer: string) => string | undefined;
}

const SKIP_HINT = '(skipMismatch / --skip-mismatch to ignore)';

const formatShape = (shape: number[]) => `[${shape.join(',')}]`;

/** Orders the file's weights like the model's: by short name when all names agree, else by position. */
function alignWeights(expected: ExpectedLayer, file: KerasLayerWeights): KerasWeight[] | string {
  const expectedNames = expected.weights.map((w) => w.name).join(', ');
  const fileNames = file.weights.map((w) => canonicalWeightName(w.name)).join(', ');
  if (expected.weights.length !== file.weights.length) {
    return `expected ${expected.weights.length} weights (${expectedNames}), file layer ${file.name} has ${file.weights.length} (${fileNames})`;
  }
  const byName = new Map(file.weights.map((w) => [canonicalWeightName(w.name), w]));
  const named = expected.weights.map((w) => byName.get(w.name));
  const ordered = named.every((w) => w !== undefined) && byName.size === file.weights.length ? (named as KerasWeight[]) : file.weights;
  for (let i = 0; i < ordered.length; i += 1) {
    const want = expected.weights[i].shape;
    const have = ordered[i].shape;
    if (want.length !== have.length || want.some((d, k) => d !== have[k])) {
      return `expected ${expected.weights[i].name} ${formatShape(want)}, file has ${formatShape(have)}`;
    }
  }
  return ordered;
}

/** A layer's keras-applications name when it has an original/notebook ResNet name, else itself. */
const kerasName = (name: string) => notebookToKerasName(name) ?? name;

function pairByName(model: ExpectedLayer[], file: KerasLayerWeights[], rename: PlanOptions['fileLayerToModelName']) {
  const exact = new Map(file.map((l) => [l.name, l]));
  const mapped = new Map(file.map((l) => [kerasName(rename?.(l.name) ?? l.name), l]));
  return model.map((layer) => ({ layer, file: exact.get(layer.name) ?? mapped.get(kerasName(layer.name)) }));
}

function pairByTopology(model: ExpectedLayer[], file: KerasLayerWeights[], label: string) {
  if (model.length !== file.length) {
    throw new Error(
      `${label}: matching by layer order needs as many layers with weights as the model: ` +
        `model has ${model.length}, file has ${file.length}. Use a model built like the file's.`,
    );
  }
  return model.map((layer, i) => ({ layer, file: file[i] as KerasLayerWeights | undefined }));
}

/**
 * Decides which file weights go to which model layer, checking every shape first so that a
 * failed load changes nothing.
 */
export function planWeightAssignment(model: ExpectedLayer[], fileLayers: KerasLayerWeights[], options: PlanOptions): WeightAssignmentPlan {
  const modelLayers = model.filter((l) => l.weights.length > 0);
  const withWeights = fileLayers.filter((l) => l.weights.length > 0);
  const named = pairByName(modelLayers, withWeights, options.fileLayerToModelName);
  const anyNameMatches = named.some((p) => p.file !== undefined);
  const strategy =
    options.matching === 'name' || (options.matching === 'auto' && anyNameMatches) ? 'name' : 'topology';
  const pairs = strategy === 'name' ? named : pairByTopology(modelLayers, withWeights, options.label);

  const assignments: LayerAssignment[] = [];
  const skipped: SkippedLayer[] = [];
  const used = new Set<string>();
  for (const { layer, file } of pairs) {
    if (!file) {
      const reason = `not in the file (no layer named ${layer.name} or its other ResNet name)`;
      if (!options.skipMismatch) throw new Error(`${options.label}: layer ${layer.name}: ${reason} ${SKIP_HINT}`);
      skipped.push({ layer: layer.name, reason });
      continue;
    }
    used.add(file.name);
    const aligned = alignWeights(layer, file);
    if (typeof aligned === 'string') {
      if (!options.skipMismatch) throw new Error(`Layer ${layer.name}: ${aligned} ${SKIP_HINT} [${options.label}]`);
      skipped.push({ layer: layer.name, fileLayer: file.name, reason: aligned });
      continue;
    }
    assignments.push({ layer: layer.name, fileLayer: file.name, weights: aligned });
  }
  const unusedFileLayers = withWeights.filter((l) => !used.has(l.name)).map((l) => l.name);
  return { strategy, assignments, skipped, unusedFileLayers };
}
