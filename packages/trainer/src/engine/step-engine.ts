import type * as tf from '@tensorflow/tfjs';
import type { Batch, TrainingDataset } from '../dataset';
import type { EvaluateOptions, EvaluationResult } from '../evaluate';
import type { OptimizerSpec, OptimizerState } from '../optimizers';
import type { PreciseBnOptions } from '../precise-bn';
import type { StepOptions, StepResult } from '../train-step';

/**
 * What the training loop asks of whatever runs the steps: the tfjs step (the default,
 * {@link tfjsEngine}) or another runtime. The tfjs `LayersModel` is the exchange format for
 * weights: an engine that keeps its own copy writes it into the model in `syncToModel()` and reads
 * it back in `syncFromModel()`; callbacks that read or write weights (checkpoints, EMA, restoring
 * the best weights) call those around their work. For the tfjs engine both are no-ops.
 */
export interface StepEngine {
  /** Shown in logs, e.g. `tfjs (wasm)`. */
  readonly name: string;
  /** One optimizer step. The batch's tensors stay owned by the caller. */
  step(batch: Batch, options: StepOptions): Promise<StepResult>;
  /** Inference-mode metrics on a dataset. */
  evaluate(data: TrainingDataset, options: EvaluateOptions): Promise<EvaluationResult>;
  /**
   * Precise BN on the engine's weights (see `recalibrateBatchNorm`): every trainable BatchNorm's
   * moving statistics become the average of its batch statistics over `options.batches` training
   * batches. Returns the number of batches used.
   */
  recalibrateBatchNorm(data: TrainingDataset, options: PreciseBnOptions): Promise<number>;
  /** Optimizer steps applied so far. */
  readonly optimizerSteps: number;
  /** Copies of the optimizer state (the caller disposes the slot tensors). */
  optimizerState(): OptimizerState;
  /** Replaces the optimizer state with copies of `state`'s tensors. */
  loadOptimizerState(state: OptimizerState): void;
  /** Makes the model hold the engine's current weights. */
  syncToModel(): Promise<void>;
  /** Takes the model's weights (after a callback or a resume wrote them). */
  syncFromModel(): Promise<void>;
  /**
   * Optional, for an engine that keeps its own copy of the weights: an exponential moving average
   * of them kept beside that copy, so that weight EMA need not write the model after every step.
   * Undefined when `model` is not the model the engine steps.
   */
  weightAverage?(model: tf.LayersModel): EngineWeightAverage | undefined;
  dispose(): void;
}

/** A weight average an engine keeps (see `StepEngine.weightAverage`), by weight name (`originalName`). */
export interface EngineWeightAverage {
  /** `average += (1 - decay) * (weight - average)` for every weight but those in `frozen` (by name), after a step. */
  update(decay: number, frozen: ReadonlySet<string>): void;
  /**
   * The engine steps, evaluates and recalibrates a copy of the averages until {@link swapOut}, which
   * puts its own weights back: a validation window with the averaged weights that never goes
   * through the model (the model gets them only if something syncs it, e.g. a checkpoint).
   */
  swapIn(): void;
  swapOut(): void;
  /** Copies of the averages, in the model's layout. */
  read(): Map<string, Float32Array>;
  /** Replaces the averages with `values` (the model's layout), e.g. a checkpoint's. */
  load(values: ReadonlyMap<string, ArrayLike<number>>): void;
}

export interface EngineOptions {
  model: tf.LayersModel;
  optimizer: OptimizerSpec;
}

/** Builds the engine of a run; `train({ engine })` takes one, the default is {@link tfjsEngine}. */
export type StepEngineFactory = (options: EngineOptions) => StepEngine | Promise<StepEngine>;
