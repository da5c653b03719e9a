import * as tf from '@tensorflow/tfjs';
import type { CallbackState, EpochLogs } from './callbacks/types';
import type { TrainConfig } from './config';
import type { OptimizerState } from './optimizers';

export type CheckpointTag = 'last' | 'best';

/** Running sums of the epoch in progress, so a run resumed mid-epoch logs the same epoch metrics. */
export interface EpochTotals {
  lossSum: number;
  correct: number;
  topKCorrect: number;
  count: number;
}

/** A sampled point of the per-step curve (for reports). */
export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  lr: number;
}

/**
 * Everything besides tensors that a resumed run needs. Data order is a pure function of
 * (dataset seed, epoch, batch index), so `epoch` + `batchInEpoch` are the shuffle/RNG position.
 * Version 1 (0.1) kept each feature's state in its own field; `upgradeCheckpoint` reads it.
 */
export interface TrainingState {
  format: 'resnet-ts/training-state';
  version: 2;
  /** Epoch in progress (or next to run when batchInEpoch is 0). */
  epoch: number;
  /** Batches of `epoch` already trained. */
  batchInEpoch: number;
  /** Optimizer steps done. */
  step: number;
  seed: number;
  epochTotals: EpochTotals;
  history: EpochLogs[];
  steps: StepRecord[];
  /** True once the run ended for good (early stopping); running out of epochs is `epoch >= epochs`. */
  finished: boolean;
  /** Each stateful callback's `stateDict()`, under its `stateKey`. */
  callbacks: Record<string, CallbackState>;
}

/** A checkpoint as the trainer hands it to a store. Tensors are owned by the trainer. */
export interface CheckpointData {
  model: tf.io.ModelArtifacts;
  /** Empty slots in `best` checkpoints: only `last` is resumed from. */
  optimizer: OptimizerState;
  /** Each stateful callback's `tensorState()` (EMA weights, restore-best weights), under its `stateKey`. */
  tensors: Record<string, tf.NamedTensorMap>;
  state: TrainingState;
  config: TrainConfig;
  classNames: string[];
}

/** Where checkpoints go: a run directory in Node (`@resnet-ts/trainer/node`), memory, IndexedDB... */
export interface CheckpointStore {
  /** Must be atomic: a crash during save leaves the previous checkpoint of that tag readable. */
  save(tag: CheckpointTag, checkpoint: CheckpointData): Promise<void>;
  /** Returns null when no checkpoint of that tag exists. The caller owns the returned tensors. */
  load(tag: CheckpointTag): Promise<CheckpointData | null>;
}

/** Captures a model's topology and weights in memory (no tensors are kept). */
export async function modelToArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return captured!;
}

/** One contiguous buffer from tfjs's WeightData (single buffer or shards). */
export function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** Loads the weights of `artifacts` into an existing model of the same architecture. */
export function loadArtifactsWeights(model: tf.LayersModel, artifacts: tf.io.ModelArtifacts): void {
  if (!artifacts.weightSpecs) throw new Error('Checkpoint model has no weight specs: the model.json is incomplete.');
  const weights = tf.io.decodeWeights(joinWeightData(artifacts.weightData), artifacts.weightSpecs);
  try {
    model.loadWeights(weights, true);
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** Builds a model from artifacts (e.g. a loaded checkpoint). Custom layers must be registered first. */
export function artifactsToModel(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Disposes the tensors of a loaded checkpoint. */
export function disposeCheckpoint(checkpoint: CheckpointData): void {
  tf.dispose(Object.values(checkpoint.optimizer.slots));
  for (const map of Object.values(checkpoint.tensors)) tf.dispose(Object.values(map));
}

function cloneMap(map: tf.NamedTensorMap): tf.NamedTensorMap {
  return Object.fromEntries(Object.entries(map).map(([k, t]) => [k, tf.keep(t.clone())]));
}

function cloneCheckpoint(c: CheckpointData): CheckpointData {
  return {
    ...structuredClone({ model: c.model, state: c.state, config: c.config, classNames: c.classNames }),
    optimizer: { ...c.optimizer, slots: cloneMap(c.optimizer.slots) },
    tensors: Object.fromEntries(Object.entries(c.tensors).map(([key, map]) => [key, cloneMap(map)])),
  };
}

/** Keeps checkpoints in memory (tests, browsers without persistence). `dispose()` frees them. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly saved = new Map<CheckpointTag, CheckpointData>();

  async save(tag: CheckpointTag, checkpoint: CheckpointData): Promise<void> {
    const copy = cloneCheckpoint(checkpoint);
    const previous = this.saved.get(tag);
    this.saved.set(tag, copy);
    if (previous) disposeCheckpoint(previous);
  }

  async load(tag: CheckpointTag): Promise<CheckpointData | null> {
    const c = this.saved.get(tag);
    return c ? cloneCheckpoint(c) : null;
  }

  dispose(): void {
    for (const c of this.saved.values()) disposeCheckpoint(c);
    this.saved.clear();
  }
}
