import type * as tf from '@tensorflow/tfjs';

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
  /** Asks the trainer to stop after the current batch (Keras's `model.stop_training = True`). */
  stop(reason?: string): void;
}

/**
 * Keras-like callback: every hook is optional and may be async (the trainer awaits it).
 */
export interface TrainerCallback {
  onTrainBegin?(logs: TrainBeginLogs, ctx: TrainerContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainerContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: TrainerContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainerContext): void | Promise<void>;
  onTrainEnd?(logs: TrainEndLogs, ctx: TrainerContext): void | Promise<void>;
}
