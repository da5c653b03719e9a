import type * as tf from '@tensorflow/tfjs';
import type { StopReason, TrainerContext } from '../callbacks/types';
import type { ResolvedTrainConfig } from '../config';
import type { TrainingDataset } from '../dataset';
import type { StepEngine } from '../engine/step-engine';

export interface RunContextOptions {
  model: tf.LayersModel;
  engine: StepEngine;
  train: TrainingDataset;
  val: TrainingDataset | undefined;
  config: ResolvedTrainConfig;
  signal: AbortSignal | undefined;
}

/** The callbacks' view of a run, and how the run ends: `stopReason` and `message` follow from the requests. */
export interface RunContext extends TrainerContext {
  /** True once `finish` was called: the run ends for good. */
  readonly finished: boolean;
  readonly stopReason: StopReason;
  /** `{ message }` when there is one, to spread into results. */
  messageField(): { message?: string };
  /** What `trainData`/`valData` show from now on (a run that leaves its feature cache for the images). */
  useData(train: TrainingDataset, val: TrainingDataset | undefined): void;
}

export function createRunContext(options: RunContextOptions): RunContext {
  let stopMessage: string | null = null;
  let ending: { reason: StopReason; message: string } | null = null;
  let data = { train: options.train, val: options.val };
  const aborted = () => options.signal?.aborted === true;
  const message = (): string | undefined => {
    if (ending) return ending.message;
    if (aborted()) return 'training was interrupted; the last checkpoint was saved';
    return stopMessage ?? undefined;
  };
  return {
    model: options.model,
    classNames: [...options.train.classNames],
    engine: options.engine,
    get trainData() {
      return data.train;
    },
    get valData() {
      return data.val;
    },
    batchSize: options.config.batchSize,
    lrScale: 1,
    weightLrScales: new Map(),
    lastCheckpointStep: null,
    stop(reason) {
      stopMessage = reason ?? 'a callback asked to stop';
    },
    finish(reason, text) {
      ending = { reason, message: text };
    },
    get stopping() {
      return ending !== null || stopMessage !== null || aborted();
    },
    get finished() {
      return ending !== null;
    },
    get stopReason(): StopReason {
      if (ending) return ending.reason;
      if (aborted()) return 'aborted';
      return stopMessage !== null ? 'stopped' : 'completed';
    },
    useData(train, val) {
      data = { train, val };
    },
    messageField() {
      const text = message();
      return text !== undefined ? { message: text } : {};
    },
  };
}
