import type * as tf from '@tensorflow/tfjs';
import type { TrainingDataset } from '../dataset';
import type { StepEngine } from '../engine/step-engine';
import type { CheckpointTag } from '../checkpoint';
import type { FeatureCacheInfo } from '../features/cached-features';

/** Numbers logged at the end of a batch. */
export interface BatchLogs {
  epoch: number;
  /** 0-based batch index within the epoch. */
  batch: number;
  /** Global optimizer steps done so far (after this batch). */
  step: number;
  loss: number;
  accuracy: number;
  lr: number;
  gradNorm: number;
  /** Images in this batch. */
  size: number;
}

/** Numbers logged at the end of an epoch (Keras naming: `val_` prefix for validation). */
export interface EpochLogs {
  epoch: number;
  step: number;
  loss: number;
  accuracy: number;
  top5?: number;
  val_loss?: number;
  val_accuracy?: number;
  val_top5?: number;
  lr: number;
  /** Wall time of the epoch (training + validation) in seconds. */
  seconds: number;
  /** Training throughput over the epoch. */
  imagesPerSecond: number;
}

export interface TrainBeginLogs {
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  initialEpoch: number;
  initialStep: number;
  batchSize: number;
  trainSize: number;
  valSize?: number;
  /** Present when `transfer.cacheFeatures` cached the backbone's features before the first step. */
  featureCache?: FeatureCacheInfo;
}

export interface TrainEndLogs {
  stopReason: StopReason;
  history: EpochLogs[];
  message?: string;
}

export type StopReason = 'completed' | 'early-stopping' | 'stopped' | 'aborted' | 'non-finite-loss';

/** What a callback can see and do while training runs. */
export interface TrainerContext {
  readonly model: tf.LayersModel;
  readonly classNames: readonly string[];
  /** Runs the steps and holds the weights; callbacks that read or write weights sync through it. */
  readonly engine: StepEngine;
  readonly trainData: TrainingDataset;
  readonly valData?: TrainingDataset;
  readonly batchSize: number;
  /** Multiplies the schedule's learning rate (ReduceLROnPlateau lowers it); saved by whoever sets it. */
  lrScale: number;
  /**
   * Learning-rate multipliers of single weights by weight key (`weightKey`), on top of `lrScale`;
   * weights not in it use 1. The transfer stages set it for a slower backbone (`backboneLrScale`).
   */
  weightLrScales: ReadonlyMap<string, number>;
  /** Asks the trainer to stop after the current batch (Keras's `model.stop_training = True`). */
  stop(reason?: string): void;
  /** Ends the run for good with this reason (a resumed run does not continue), after the current epoch's hooks. */
  finish(reason: StopReason, message: string): void;
  /** True once `stop`/`finish` was called or the run's AbortSignal fired. */
  readonly stopping: boolean;
  /** Step of the last saved `last` checkpoint (null before any); reported by the checkpoint callback. */
  lastCheckpointStep: number | null;
}

/** JSON-serializable state of a stateful callback. */
export type CallbackState = Record<string, unknown>;

/**
 * Keras-like callback: every hook is optional and may be async (the trainer awaits it). Hooks run in
 * list order, except `onValidationEnd`, which runs in reverse so that a callback that swaps weights
 * in at `onValidationBegin` (EMA) swaps them back last.
 *
 * Stateful callbacks (Lightning's `state_dict`): with a `stateKey`, `stateDict()` is saved in every
 * checkpoint under that key and `loadStateDict()` gets it back on resume; `tensorState()` tensors are
 * saved beside it (the caller disposes the returned copies).
 */
export interface TrainerCallback {
  readonly stateKey?: string;
  stateDict?(): CallbackState;
  loadStateDict?(state: CallbackState): void;
  /** Tensors for a checkpoint of `tag` (`best` checkpoints are never resumed from). */
  tensorState?(tag: CheckpointTag): tf.NamedTensorMap;
  loadTensorState?(tensors: tf.NamedTensorMap): void;
  /** Frees what the callback holds; called once when training ends, whatever the outcome. */
  dispose?(): void;

  onTrainBegin?(logs: TrainBeginLogs, ctx: TrainerContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainerContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: TrainerContext): void | Promise<void>;
  /** Before the epoch's validation (which runs only with validation data; the hooks run regardless). */
  onValidationBegin?(epoch: number, ctx: TrainerContext): void | Promise<void>;
  /** After validation, with the epoch's complete logs, while the validated weights are in the model. */
  onValidationEnd?(epoch: number, logs: EpochLogs, ctx: TrainerContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainerContext): void | Promise<void>;
  onTrainEnd?(logs: TrainEndLogs, ctx: TrainerContext): void | Promise<void>;
}
