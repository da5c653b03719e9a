import * as tf from '@tensorflow/tfjs';
import { readKerasH5 } from './h5/read-keras-h5';
import type { KerasWeightFile } from './keras-file';
import {
  planWeightAssignment,
  type ExpectedLayer,
  type LayerMatching,
  type SkippedLayer,
} from './plan-weight-assignment';
import { describeSource, readBinarySource, type BinarySource } from './source/binary-source';

export interface LoadKerasWeightsOptions {
  /** Leave layers whose shapes differ (e.g. another head) as they are and report them. Default false. */
  skipMismatch?: boolean;
  /**
   * `name`: by layer name, accepting both ResNet namings; `topology`: the n-th layer with weights
   * gets the file's n-th; `auto` (default): by name when any name matches, else by topology.
   */
  matching?: LayerMatching;
  /** Called for each skipped layer as well as listed in the result. */
  onSkip?: (skipped: SkippedLayer) => void;
  /** The fetch used for URL sources (default: global fetch). */
  fetch?: typeof fetch;
}

export interface LoadKerasWeightsResult {
  strategy: 'name' | 'topology';
  /** Model layers that received weights. */
  loaded: string[];
  skipped: SkippedLayer[];
  /** File layers with weights that no model layer used. */
  unusedFileLayers: string[];
  layout: KerasWeightFile['layout'];
  kerasVersion?: string;
}

/** Short weight name of a tfjs variable: `conv1_conv/kernel` -> `kernel`. */
export function tfjsWeightName(variable: tf.LayerVariable): string {
  return variable.originalName.split('/').pop()!;
}

function expectedLayers(model: tf.LayersModel): ExpectedLayer[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    weights: layer.weights.map((w) => ({ name: tfjsWeightName(w), shape: w.shape.map(Number) })),
  }));
}

/** Sets already-read Keras weights on a model; used by `loadKerasWeights` and by tests. */
export function applyKerasWeights(
  model: tf.LayersModel,
  file: KerasWeightFile,
  label: string,
  options: LoadKerasWeightsOptions = {},
): LoadKerasWeightsResult {
  return applyWeightFile(model, file, label, options);
}

/** `applyKerasWeights` for files whose layer names are another scheme (`fileLayerToModelName`: torch modules). */
export function applyWeightFile(
  model: tf.LayersModel,
  file: KerasWeightFile,
  label: string,
  options: LoadKerasWeightsOptions = {},
  fileLayerToModelName?: (fileLayer: string) => string | undefined,
): LoadKerasWeightsResult {
  const plan = planWeightAssignment(expectedLayers(model), file.layers, {
    matching: options.matching ?? 'auto',
    skipMismatch: options.skipMismatch ?? false,
    label,
    fileLayerToModelName,
  });
  for (const assignment of plan.assignments) {
    const layer = model.getLayer(assignment.layer);
    const tensors = assignment.weights.map((w) => tf.tensor(w.values, w.shape, 'float32'));
    try {
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
  plan.skipped.forEach((s) => options.onSkip?.(s));
  return {
    strategy: plan.strategy,
    loaded: plan.assignments.map((a) => a.layer),
    skipped: plan.skipped,
    unusedFileLayers: plan.unusedFileLayers,
    layout: file.layout,
    kerasVersion: file.kerasVersion,
  };
}

/**
 * Loads Keras 2 HDF5 weights (a `save_weights` file or a full `model.save` file) into a tfjs model.
 * `source`: a local path (Node), an http(s) URL, or the file's bytes. Nothing changes on error.
 */
export async function loadKerasWeights(
  model: tf.LayersModel,
  source: BinarySource,
  options: LoadKerasWeightsOptions = {},
): Promise<LoadKerasWeightsResult> {
  const label = describeSource(source);
  const bytes = await readBinarySource(source, { fetch: options.fetch });
  const file = await readKerasH5(bytes, label);
  return applyKerasWeights(model, file, label, options);
}

/** Reads a Keras HDF5 weights file without a model (inspection, conversion tools). */
export async function readKerasWeights(source: BinarySource, options: Pick<LoadKerasWeightsOptions, 'fetch'> = {}): Promise<KerasWeightFile> {
  const bytes = await readBinarySource(source, { fetch: options.fetch });
  return readKerasH5(bytes, describeSource(source));
}
