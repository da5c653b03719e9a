import * as tf from '@tensorflow/tfjs';
import { MetricMonitor } from './callbacks/early-stopping';
import type {
  BatchLogs,
  EpochLogs,
  StopReason,
  TrainerCallback,
  TrainerContext,
  TrainEndLogs,
} from './callbacks/types';
import {
  loadArtifactsWeights,
  modelToArtifacts,
  type CheckpointData,
  type CheckpointStore,
  type CheckpointTag,
  type EpochTotals,
  type StepRecord,
  type TrainingState,
} from './checkpoint';
import { resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from './config';
import { batchesPerEpoch, type TrainingDataset } from './dataset';
import { WeightEma } from './ema';
import { NonFiniteLossError } from './errors';
import { evaluate } from './evaluate';
import { outputsAreProbabilities } from './loss';
import { hasTop5 } from './metrics';
import { Optimizer } from './optimizers';
import { recalibrateBatchNorm } from './precise-bn';
import { createSchedule } from './schedules';
import { trainStep } from './train-step';
import { applyTransfer } from './transfer';
import { orderedWeights } from './weights';

export interface TrainOptions extends TrainConfig {
  /** Any classifier: outputs [batch, classes] probabilities (softmax) or logits. */
  model: tf.LayersModel;
  train: TrainingDataset;
  val?: TrainingDataset;
  callbacks?: TrainerCallback[];
  /** Aborting stops after the current batch, writes the `last` checkpoint and resolves with `aborted`. */
  signal?: AbortSignal;
  /** Where checkpoints go; without one, nothing is saved. */
  store?: CheckpointStore;
  /** Continue from this checkpoint (see `resume` in `/node`); its weights are loaded into `model`. */
  resumeFrom?: CheckpointData;
}

export interface TrainResult {
  history: EpochLogs[];
  /** Sampled per-step loss/accuracy/lr (at most ~1000 points). */
  steps: StepRecord[];
  stopReason: StopReason;
  message?: string;
  epochsCompleted: number;
  step: number;
  best: { monitor: string; value: number | null; epoch: number };
  config: ResolvedTrainConfig;
  classNames: string[];
}

const emptyTotals = (): EpochTotals => ({ lossSum: 0, correct: 0, topKCorrect: 0, count: 0 });

function freshState(seed: number): TrainingState {
  return {
    format: 'resnet-ts/training-state',
    version: 1,
    epoch: 0,
    batchInEpoch: 0,
    step: 0,
    seed,
    schedule: { scale: 1, best: null, wait: 0, cooldown: 0 },
    best: { best: null, bestEpoch: -1, wait: 0 },
    earlyStopping: null,
    transferStage: 'all',
    epochTotals: emptyTotals(),
    history: [],
    steps: [],
    finished: false,
  };
}

function assertUniqueWeightNames(model: tf.LayersModel): void {
  const seen = new Set<string>();
  for (const w of orderedWeights(model)) {
    if (seen.has(w.originalName)) {
      throw new Error(`Model "${model.name}" has two weights named "${w.originalName}": give its layers unique names.`);
    }
    seen.add(w.originalName);
  }
}

/**
 * Trains a classifier with a custom step (not `model.fit`): per-step learning-rate schedules,
 * decoupled weight decay, label smoothing, global-norm clipping, EMA, transfer-learning stages,
 * checkpoints that resume bit-exactly, and Keras-like callbacks.
 *
 * Throws `NonFiniteLossError` when the loss becomes NaN/Inf (after `onTrainEnd`); checkpoints
 * written before that point are left untouched.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const config = resolveTrainConfig(options.resumeFrom ? { ...options.resumeFrom.config, ...pickConfig(options) } : options);
  const { model, store } = options;
  const trainData = options.train;
  const val = options.val;
  const classNames = [...trainData.classNames];
  const classes = classNames.length;
  const outputUnits = (model.outputs[0].shape as number[])[1];
  if (outputUnits !== classes) {
    throw new Error(
      `Model "${model.name}" outputs ${outputUnits} classes but the training data has ${classes} (${classNames.join(', ')}): build the model with classes: ${classes}.`,
    );
  }
  assertUniqueWeightNames(model);

  const stepsPerEpoch = Math.min(
    batchesPerEpoch(trainData.size, config.batchSize, config.dropRemainder),
    config.maxStepsPerEpoch ?? Infinity,
  );
  if (stepsPerEpoch < 1) throw new Error(`The training data (${trainData.size} images) yields no batch of ${config.batchSize}.`);
  const totalSteps = stepsPerEpoch * config.epochs;
  const stepLogEvery = Math.max(1, Math.ceil(totalSteps / 1000));
  const schedule = createSchedule(config.schedule, { baseLr: config.lr, stepsPerEpoch, totalSteps });
  const optimizer = new Optimizer(config.optimizer);
  const fromLogits = !outputsAreProbabilities(model);
  const topK = hasTop5(classes) ? 5 : 1;
  const bestMonitor = new MetricMonitor(config.monitor, undefined);
  const early = config.earlyStopping
    ? new MetricMonitor(config.earlyStopping.monitor ?? 'val_loss', config.earlyStopping.mode, config.earlyStopping.minDelta)
    : null;
  const emaOptions = config.ema ? { decay: 0.999, evaluate: true, applyAtEnd: true, ...config.ema } : null;
  let ema: WeightEma | null = null;

  let state = freshState(config.seed);
  let bestWeights: tf.Tensor[] | null = null;
  let lastCheckpointStep: number | null = null;

  if (options.resumeFrom) {
    const saved = options.resumeFrom;
    loadArtifactsWeights(model, saved.model);
    state = structuredClone(saved.state);
    optimizer.setState(saved.optimizer);
    schedule.restore(state.schedule);
    bestMonitor.state = { ...state.best };
    if (early && state.earlyStopping) early.state = { ...state.earlyStopping };
    lastCheckpointStep = state.step;
    if (early && config.earlyStopping && config.earlyStopping.restoreBest !== false && store) {
      const best = await store.load('best');
      if (best) {
        // The best weights are the validated ones: the EMA copy when EMA drives validation.
        if (emaOptions?.evaluate && best.ema) {
          const averaged = best.ema;
          bestWeights = orderedWeights(model).map((w, i) => averaged[`${i}:${w.originalName}`].clone());
        } else {
          bestWeights = decodeWeightsInModelOrder(model, best);
        }
        tf.dispose([...Object.values(best.optimizer.slots), ...Object.values(best.ema ?? {})]);
      }
    }
  }
  if (emaOptions) {
    ema = new WeightEma(model, emaOptions.decay);
    if (options.resumeFrom?.ema) ema.setWeights(options.resumeFrom.ema);
  }

  let stopRequest: { reason: StopReason; message?: string } | null = null;
  const ctx: TrainerContext = {
    model,
    classNames,
    stop: (reason) => {
      stopRequest = { reason: 'stopped', message: reason ?? 'a callback asked to stop' };
    },
  };
  const callbacks = options.callbacks ?? [];
  const call = async <K extends keyof TrainerCallback>(hook: K, ...args: unknown[]) => {
    for (const cb of callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (fn) await fn.apply(cb, [...args, ctx]);
    }
  };

  const snapshot = async (tag: CheckpointTag): Promise<void> => {
    if (!store) return;
    state.schedule = schedule.state();
    state.best = { ...bestMonitor.state };
    state.earlyStopping = early ? { ...early.state } : null;
    // Only `last` is resumed from; `best` holds weights (and EMA), not the optimizer's moments.
    const opt = tag === 'last' ? optimizer.getState() : { type: config.optimizer.type, iterations: optimizer.step, slots: {} };
    const emaWeights = ema?.getWeights();
    try {
      await store.save(tag, {
        model: await modelToArtifacts(model),
        optimizer: opt,
        ...(emaWeights ? { ema: emaWeights } : {}),
        state,
        config: toJsonConfig(config),
        classNames,
      });
    } finally {
      tf.dispose([...Object.values(opt.slots), ...Object.values(emaWeights ?? {})]);
    }
    if (tag === 'last') lastCheckpointStep = state.step;
  };

  const validate = async (epoch: number): Promise<Partial<EpochLogs>> => {
    if (!val) return {};
    if (config.preciseBnBatches > 0) {
      await recalibrateBatchNorm(model, trainData, { batches: config.preciseBnBatches, batchSize: config.batchSize, epoch });
    }
    const run = () => evaluate(model, val, { batchSize: config.batchSize, maxBatches: config.maxValBatches, classNames });
    const result = ema && emaOptions?.evaluate ? await ema.withAveragedWeights(run) : await run();
    return {
      val_loss: result.loss,
      val_accuracy: result.accuracy,
      ...(result.top5 !== undefined ? { val_top5: result.top5 } : {}),
    };
  };

  await call('onTrainBegin', {
    epochs: config.epochs,
    stepsPerEpoch,
    totalSteps,
    initialEpoch: state.epoch,
    initialStep: state.step,
    batchSize: config.batchSize,
    trainSize: trainData.size,
    ...(val ? { valSize: val.size } : {}),
  });

  let stopReason: StopReason = 'completed';
  let message: string | undefined;
  let failure: NonFiniteLossError | undefined;

  try {
    epochs: while (!state.finished && state.epoch < config.epochs) {
      const epoch = state.epoch;
      const stage = applyTransfer(model, config.transfer, epoch);
      state.transferStage = stage;
      await call('onEpochBegin', epoch);
      const started = performance.now();
      let trainSeconds = 0;
      const iterator = trainData.batches({
        batchSize: config.batchSize,
        epoch,
        shuffle: config.shuffle,
        augment: config.augment,
        startBatch: state.batchInEpoch,
        dropRemainder: config.dropRemainder,
      });
      try {
        while (state.batchInEpoch < stepsPerEpoch) {
          const next = await iterator.next();
          if (next.done) break;
          const batch = next.value;
          const lr = schedule.lrAt(state.step);
          const t0 = performance.now();
          let result;
          try {
            result = await trainStep(model, optimizer, batch, {
              lr,
              weightDecay: config.weightDecay,
              labelSmoothing: config.labelSmoothing,
              fromLogits,
              clipNorm: config.clipNorm,
              topK,
            });
          } finally {
            tf.dispose([batch.xs, batch.ys]);
          }
          trainSeconds += (performance.now() - t0) / 1000;
          if (!result.finite) {
            failure = new NonFiniteLossError(epoch, state.batchInEpoch, state.step, result.loss, state.history, lastCheckpointStep);
            stopReason = 'non-finite-loss';
            message = failure.message;
            break epochs;
          }
          ema?.update();
          const totals = state.epochTotals;
          totals.lossSum += result.loss * result.count;
          totals.correct += result.correct;
          totals.topKCorrect += result.topKCorrect;
          totals.count += result.count;
          const batchIndex = state.batchInEpoch;
          state.batchInEpoch += 1;
          state.step += 1;
          const logs: BatchLogs = {
            epoch,
            batch: batchIndex,
            step: state.step,
            loss: result.loss,
            accuracy: result.correct / result.count,
            lr,
            gradNorm: result.gradNorm,
            size: result.count,
          };
          if ((state.step - 1) % stepLogEvery === 0) {
            state.steps.push({ step: state.step, epoch, loss: logs.loss, accuracy: logs.accuracy, lr });
          }
          await call('onBatchEnd', batchIndex, logs);
          // Let timers, I/O and signal handlers (Ctrl-C -> abort) run: prefetched batches resolve as
          // microtasks only, which would otherwise starve the event loop for a whole epoch.
          await new Promise((resolve) => setTimeout(resolve, 0));
          const interrupted = options.signal?.aborted || stopRequest !== null;
          const periodic = config.checkpointEverySteps > 0 && state.step % config.checkpointEverySteps === 0;
          if ((interrupted || periodic) && state.batchInEpoch < stepsPerEpoch) await snapshot('last');
          if (interrupted && state.batchInEpoch < stepsPerEpoch) {
            ({ stopReason, message } = interruption(options.signal, stopRequest));
            break epochs;
          }
        }
      } finally {
        await iterator.return?.();
      }

      const totals = state.epochTotals;
      if (totals.count === 0) throw new Error(`Epoch ${epoch + 1}: the training data produced no batches.`);
      const valLogs = await validate(epoch);
      const logs: EpochLogs = {
        epoch,
        step: state.step,
        loss: totals.lossSum / totals.count,
        accuracy: totals.correct / totals.count,
        ...(topK === 5 ? { top5: totals.topKCorrect / totals.count } : {}),
        ...valLogs,
        lr: schedule.lrAt(Math.max(0, state.step - 1)),
        seconds: (performance.now() - started) / 1000,
        imagesPerSecond: trainSeconds > 0 ? totals.count / trainSeconds : 0,
      };
      state.history.push(logs);
      schedule.onEpochEnd(logs as unknown as Record<string, number>);
      state.epoch += 1;
      state.batchInEpoch = 0;
      state.epochTotals = emptyTotals();

      const improved = bestMonitor.update(epoch, logs as unknown as Record<string, unknown>);
      let earlyStop = false;
      if (early && config.earlyStopping) {
        const earlyImproved = early.update(epoch, logs as unknown as Record<string, unknown>);
        if (earlyImproved && config.earlyStopping.restoreBest !== false) {
          tf.dispose(bestWeights ?? []);
          // Keep the weights that were validated: the averaged ones when EMA drives validation.
          const capture = async () => orderedWeights(model).map((w) => tf.keep(w.read().clone()));
          bestWeights = ema && emaOptions?.evaluate ? await ema.withAveragedWeights(capture) : await capture();
        }
        earlyStop = early.state.wait >= (config.earlyStopping.patience ?? 5);
      }
      await call('onEpochEnd', epoch, logs);
      if (earlyStop) {
        stopReason = 'early-stopping';
        message = `${early!.monitor} did not improve for ${early!.state.wait} epochs (best ${early!.state.best} at epoch ${early!.state.bestEpoch + 1})`;
        state.finished = true;
      }
      if (improved) await snapshot('best');
      await snapshot('last');
      if (earlyStop) break;
      if (options.signal?.aborted || stopRequest) {
        ({ stopReason, message } = interruption(options.signal, stopRequest));
        break;
      }
    }

    if (!failure && bestWeights && (stopReason === 'early-stopping' || stopReason === 'completed')) {
      orderedWeights(model).forEach((w, i) => w.write(bestWeights![i]));
    } else if (!failure && ema && emaOptions?.applyAtEnd && stopReason === 'completed') {
      ema.applyToModel();
    }
    const endLogs: TrainEndLogs = { stopReason, history: state.history, ...(message ? { message } : {}) };
    await call('onTrainEnd', endLogs);
  } finally {
    optimizer.dispose();
    ema?.dispose();
    tf.dispose(bestWeights ?? []);
  }
  if (failure) throw failure;
  return {
    history: state.history,
    steps: state.steps,
    stopReason,
    ...(message ? { message } : {}),
    epochsCompleted: state.epoch,
    step: state.step,
    best: { monitor: bestMonitor.monitor, value: bestMonitor.state.best, epoch: bestMonitor.state.bestEpoch },
    config,
    classNames,
  };
}

function interruption(
  signal: AbortSignal | undefined,
  request: { reason: StopReason; message?: string } | null,
): { stopReason: StopReason; message?: string } {
  if (signal?.aborted) return { stopReason: 'aborted', message: 'training was interrupted; the last checkpoint was saved' };
  return { stopReason: request?.reason ?? 'stopped', ...(request?.message ? { message: request.message } : {}) };
}

const CONFIG_KEYS = [
  'epochs', 'batchSize', 'lr', 'optimizer', 'schedule', 'weightDecay', 'labelSmoothing', 'clipNorm', 'seed', 'shuffle',
  'augment', 'dropRemainder', 'maxStepsPerEpoch', 'maxValBatches', 'monitor', 'earlyStopping', 'checkpointEverySteps', 'preciseBnBatches',
  'ema', 'transfer', 'metadata',
] as const satisfies readonly (keyof TrainConfig)[];

/** The TrainConfig fields of an options object (drops model, datasets, callbacks...). */
export function pickConfig(options: TrainConfig): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as TrainConfig;
}

function toJsonConfig(config: ResolvedTrainConfig): TrainConfig {
  return JSON.parse(JSON.stringify(pickConfig(config))) as TrainConfig;
}

function decodeWeightsInModelOrder(model: tf.LayersModel, checkpoint: CheckpointData): tf.Tensor[] {
  const specs = checkpoint.model.weightSpecs ?? [];
  const data = Array.isArray(checkpoint.model.weightData)
    ? tf.io.concatenateArrayBuffers(checkpoint.model.weightData)
    : (checkpoint.model.weightData ?? new ArrayBuffer(0));
  const map = tf.io.decodeWeights(data, specs);
  const weights = orderedWeights(model);
  const missing = weights.find((w) => !map[w.originalName]);
  const used = new Set(weights.map((w) => w.originalName));
  tf.dispose(Object.entries(map).filter(([name]) => !used.has(name)).map(([, t]) => t));
  if (missing) {
    tf.dispose(Object.values(map));
    throw new Error(`Best checkpoint has no weight "${missing.originalName}": was it saved for another model?`);
  }
  return weights.map((w) => map[w.originalName]);
}
