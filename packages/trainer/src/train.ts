import * as tf from '@tensorflow/tfjs';
import { builtinCallbacks } from './callbacks/builtin';
import { dispatcher } from './callbacks/dispatch';
import type { BestMetric } from './callbacks/model-checkpoint';
import type { EpochLogs, StopReason, TrainerCallback } from './callbacks/types';
import { loadArtifactsWeights, type CheckpointData, type CheckpointStore, type StepRecord } from './checkpoint';
import { pickConfig, resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from './config';
import type { TrainingDataset } from './dataset';
import type { StepEngineFactory } from './engine/step-engine';
import { switchableEngine } from './engine/switchable-engine';
import { tfjsEngine } from './engine/tfjs-engine';
import { NonFiniteLossError } from './errors';
import type { EvaluateOptions, EvaluationResult } from './evaluate';
import type { PrecomputedFeatures } from './features/cached-features';
import { cachedRunData, imageRunData } from './features/cached-run-data';
import { upgradeCheckpoint } from './legacy-checkpoint';
import { createRunContext } from './loop/run-context';
import { planRun } from './loop/run-plan';
import { epochLogs, freshState, recordStep } from './loop/run-state';
import { snapshotter } from './loop/snapshot';
import { createSchedule } from './schedules';

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
  /** What runs the steps. Default: {@link tfjsEngine}, the trainer's own step on the active backend. */
  engine?: StepEngineFactory;
  /**
   * With `transfer.cacheFeatures`: the frozen backbone's features of `train` (and `val`), computed
   * by the caller with the model's own backbone weights; the run then skips computing them.
   */
  precomputedFeatures?: PrecomputedFeatures;
  /**
   * After the run (and its end-of-run callbacks), evaluate the final model on this data with the
   * run's engine (onnxruntime's own forward pass where it trains), into `TrainResult.evaluation`;
   * batch size and class names default to the run's.
   * Skipped for a run that was aborted or stopped, and left to the caller (no `evaluation`) when
   * the engine trained only the head on cached features.
   */
  evaluateAtEnd?: { data: TrainingDataset; options: EvaluateOptions };
}

export interface TrainResult {
  history: EpochLogs[];
  /** Sampled per-step loss/accuracy/lr (at most ~1000 points). */
  steps: StepRecord[];
  stopReason: StopReason;
  message?: string;
  epochsCompleted: number;
  step: number;
  best: BestMetric;
  config: ResolvedTrainConfig;
  classNames: string[];
  /** The final model on `evaluateAtEnd`'s data, when it ran. */
  evaluation?: EvaluationResult;
}

/**
 * Trains a classifier with a custom step (not `model.fit`): the loop runs batches through a step
 * engine and calls callbacks; every feature (checkpoints, early stopping, EMA, precise BN, transfer
 * stages, ReduceLROnPlateau) is a callback with its state saved in the checkpoint under its key.
 * Checkpoints resume bit-exactly. Throws `NonFiniteLossError` when the loss becomes NaN/Inf (after
 * `onTrainEnd`); checkpoints written before that point are left untouched.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const config = resolveTrainConfig(options.resumeFrom ? { ...options.resumeFrom.config, ...pickConfig(options) } : options);
  const { model, store } = options;
  // With cached features the engine trains the head model (sharing the model's head layers) on
  // feature batches; callbacks and checkpoints still see the full model.
  let data = await cachedRunData(options, config);
  const plan = planRun(model, data.train, config);
  const schedule = createSchedule(config.schedule, { baseLr: config.lr, stepsPerEpoch: plan.stepsPerEpoch, totalSteps: plan.totalSteps });
  const engineFactory = options.engine ?? tfjsEngine;
  const engine = switchableEngine(await engineFactory({ model: data.trainedModel, optimizer: config.optimizer }));
  let state = freshState(config.seed);
  const ctx = createRunContext({ model, engine, train: data.train, val: data.val, config, signal: options.signal });
  const save = snapshotter({ model, engine, store, config, classNames: plan.classNames, state: () => state, callbacks: () => call, ctx });
  const builtin = builtinCallbacks(config, data.changedModel, save);
  const callbacks = [...builtin.before, ...(options.callbacks ?? []), builtin.checkpoint];
  const call = dispatcher(callbacks, ctx);
  let failure: NonFiniteLossError | undefined;
  let evaluation: EvaluationResult | undefined;
  try {
    if (options.resumeFrom) {
      const { checkpoint, created } = await upgradeCheckpoint(options.resumeFrom, model, store);
      try {
        loadArtifactsWeights(model, checkpoint.model);
        await engine.syncFromModel();
        engine.loadOptimizerState(checkpoint.optimizer);
        state = structuredClone(checkpoint.state);
        call.restore(checkpoint);
        ctx.lastCheckpointStep = state.step;
      } finally {
        tf.dispose(created);
      }
    }
    await call.onTrainBegin({ ...plan.beginLogs(state, data.val?.size), ...data.beginLogs });
    epochs: while (!state.finished && state.epoch < config.epochs && !ctx.stopping) {
      const epoch = state.epoch;
      if (data.imagesFrom !== undefined && epoch >= data.imagesFrom) {
        // Cached features until unfreezeEpoch; from it the full model trains on images.
        data = imageRunData(options);
        ctx.useData(data.train, data.val);
        await engine.switchTo(await engineFactory({ model, optimizer: config.optimizer }));
      }
      await call.onEpochBegin(epoch);
      const started = performance.now();
      let trainSeconds = 0;
      const iterator = data.train.batches({
        batchSize: config.batchSize,
        epoch,
        shuffle: config.shuffle,
        augment: config.augment,
        startBatch: state.batchInEpoch,
        dropRemainder: config.dropRemainder,
      });
      try {
        while (state.batchInEpoch < plan.stepsPerEpoch) {
          const next = await iterator.next();
          if (next.done) break;
          const lr = schedule.lrAt(state.step) * ctx.lrScale;
          const t0 = performance.now();
          const result = await engine.step(next.value, { ...plan.stepOptions, lr, lrScales: ctx.weightLrScales }).finally(() => tf.dispose([next.value.xs, next.value.ys]));
          trainSeconds += (performance.now() - t0) / 1000;
          if (!result.finite) {
            failure = new NonFiniteLossError(epoch, state.batchInEpoch, state.step, result.loss, state.history, ctx.lastCheckpointStep, result.gradNorm);
            ctx.finish('non-finite-loss', failure.message);
            break epochs;
          }
          const logs = recordStep(state, result, lr, plan.stepLogEvery);
          // Let timers, I/O and signal handlers (Ctrl-C -> abort) run: prefetched batches resolve as
          // microtasks only, which would otherwise starve the event loop for a whole epoch.
          await new Promise((resolve) => setTimeout(resolve, 0));
          await call.onBatchEnd(logs.batch, logs);
          if (ctx.stopping && state.batchInEpoch < plan.stepsPerEpoch) break epochs;
        }
      } finally {
        await iterator.return?.();
      }
      if (state.epochTotals.count === 0) throw new Error(`Epoch ${epoch + 1}: the training data produced no batches.`);
      await call.onValidationBegin(epoch);
      const val = data.val
        ? await engine.evaluate(data.val, { batchSize: config.batchSize, maxBatches: config.maxValBatches, classNames: plan.classNames })
        : undefined;
      const logs = epochLogs(state, { val, topK: plan.stepOptions.topK, lr: schedule.lrAt(Math.max(0, state.step - 1)) * ctx.lrScale, started, trainSeconds });
      await call.onValidationEnd(epoch, logs);
      state.history.push(logs);
      state.epoch += 1;
      state.batchInEpoch = 0;
      state.epochTotals = { lossSum: 0, correct: 0, topKCorrect: 0, count: 0 };
      state.finished = ctx.finished;
      await call.onEpochEnd(epoch, logs);
    }
    // An engine with its own copy of the weights (onnxruntime) hands them back before the end-of-run
    // callbacks (EMA, restoring the best weights) and the caller read the model.
    await engine.syncToModel();
    await call.onTrainEnd({ stopReason: ctx.stopReason, history: state.history, ...ctx.messageField() });
    const wanted = options.evaluateAtEnd && !failure && ctx.stopReason !== 'aborted' && ctx.stopReason !== 'stopped';
    if (wanted && data.trainedModel === model) {
      // End-of-run callbacks may have changed the model's weights (EMA, restoring the best ones).
      await engine.syncFromModel();
      const { data: evalData, options: evalOptions } = options.evaluateAtEnd!;
      evaluation = await engine.evaluate(evalData, { batchSize: config.batchSize, classNames: plan.classNames, ...evalOptions });
    }
  } finally {
    call.dispose();
    engine.dispose();
  }
  if (failure) throw failure;
  return {
    history: state.history,
    steps: state.steps,
    stopReason: ctx.stopReason,
    ...ctx.messageField(),
    epochsCompleted: state.epoch,
    step: state.step,
    best: builtin.checkpoint.best,
    config,
    classNames: plan.classNames,
    ...(evaluation ? { evaluation } : {}),
  };
}
