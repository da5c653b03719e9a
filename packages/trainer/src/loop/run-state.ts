import type { BatchLogs, EpochLogs } from '../callbacks/types';
import type { TrainingState } from '../checkpoint';
import type { EvaluationResult } from '../evaluate';
import type { StepResult } from '../train-step';

export function freshState(seed: number): TrainingState {
  return {
    format: 'resnet-ts/training-state',
    version: 2,
    epoch: 0,
    batchInEpoch: 0,
    step: 0,
    seed,
    epochTotals: { lossSum: 0, correct: 0, topKCorrect: 0, count: 0 },
    history: [],
    steps: [],
    finished: false,
    callbacks: {},
  };
}

/** Adds a finite step's result to the epoch's running sums and advances the position; returns its logs. */
export function recordStep(state: TrainingState, result: StepResult, lr: number, stepLogEvery: number): BatchLogs {
  const totals = state.epochTotals;
  totals.lossSum += result.loss * result.count;
  totals.correct += result.correct;
  totals.topKCorrect += result.topKCorrect;
  totals.count += result.count;
  const logs: BatchLogs = {
    epoch: state.epoch,
    batch: state.batchInEpoch,
    step: state.step + 1,
    loss: result.loss,
    accuracy: result.correct / result.count,
    lr,
    gradNorm: result.gradNorm,
    size: result.count,
  };
  state.batchInEpoch += 1;
  state.step += 1;
  if ((state.step - 1) % stepLogEvery === 0) {
    state.steps.push({ step: state.step, epoch: logs.epoch, loss: logs.loss, accuracy: logs.accuracy, lr });
  }
  return logs;
}

export interface EpochEnd {
  val: EvaluationResult | undefined;
  topK: number;
  /** Rate of the epoch's last step. */
  lr: number;
  /** `performance.now()` at the epoch's start. */
  started: number;
  trainSeconds: number;
}

/** The epoch's logs (Keras naming: `val_` for validation) from its running sums and validation. */
export function epochLogs(state: TrainingState, end: EpochEnd): EpochLogs {
  const totals = state.epochTotals;
  const { val } = end;
  return {
    epoch: state.epoch,
    step: state.step,
    loss: totals.lossSum / totals.count,
    accuracy: totals.correct / totals.count,
    ...(end.topK === 5 ? { top5: totals.topKCorrect / totals.count } : {}),
    ...(val ? { val_loss: val.loss, val_accuracy: val.accuracy, ...(val.top5 !== undefined ? { val_top5: val.top5 } : {}) } : {}),
    lr: end.lr,
    seconds: (performance.now() - end.started) / 1000,
    imagesPerSecond: end.trainSeconds > 0 ? totals.count / end.trainSeconds : 0,
  };
}
