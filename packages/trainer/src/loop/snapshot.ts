import * as tf from '@tensorflow/tfjs';
import type { Dispatcher } from '../callbacks/dispatch';
import { modelToArtifacts, type CheckpointData, type CheckpointStore, type CheckpointTag, type TrainingState } from '../checkpoint';
import { pickConfig, type ResolvedTrainConfig, type TrainConfig } from '../config';
import type { StepEngine } from '../engine/step-engine';
import type { RunContext } from './run-context';

export interface SnapshotSources {
  model: tf.LayersModel;
  engine: StepEngine;
  store: CheckpointStore | undefined;
  config: ResolvedTrainConfig;
  classNames: string[];
  state: () => TrainingState;
  callbacks: () => Dispatcher;
  ctx: RunContext;
}

export interface Snapshotter {
  /**
   * Captures the run as it stands (model, optimizer, callback states and tensors: copies, so
   * training goes on) and queues its write. Throws the error of an earlier write that failed.
   */
  (tag: CheckpointTag): Promise<void>;
  /** Waits until every queued checkpoint is on disk; throws the first write error. */
  flush(): Promise<void>;
}

/**
 * Writes the run as it stands to the store (nothing without one): model, optimizer (only `last`
 * is resumed from, so `best` holds no moments), every stateful callback's state and tensors.
 *
 * The write (encoding, files, fsync: most of a ResNet50 checkpoint's time) runs in the background
 * while training goes on, one checkpoint after another in the order they were taken. A store
 * replaces a checkpoint atomically, so a run killed mid-write resumes from the one before.
 */
export function snapshotter(sources: SnapshotSources): Snapshotter {
  const { model, engine, store, config, classNames, ctx } = sources;
  const jsonConfig = JSON.parse(JSON.stringify(pickConfig(config))) as TrainConfig;
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const throwWriteError = () => {
    if (writeError !== undefined) throw writeError;
  };

  const save = async (tag: CheckpointTag) => {
    if (!store) return;
    throwWriteError();
    await engine.syncToModel();
    const callbacks = sources.callbacks();
    // A deep copy: the loop goes on mutating its state (epoch totals, history) while this one is written.
    const state: TrainingState = structuredClone({ ...sources.state(), finished: sources.state().finished || ctx.finished, callbacks: callbacks.states() });
    const optimizer = tag === 'last' ? engine.optimizerState() : { type: config.optimizer.type, iterations: engine.optimizerSteps, slots: {} };
    const tensors = callbacks.tensors(tag);
    const release = () => tf.dispose([...Object.values(optimizer.slots), ...Object.values(tensors).flatMap((map) => Object.values(map))]);
    let checkpoint: CheckpointData;
    try {
      checkpoint = { model: await modelToArtifacts(model), optimizer, tensors, state, config: jsonConfig, classNames };
    } catch (error) {
      release();
      throw error;
    }
    writing = writing
      .then(() => store.save(tag, checkpoint))
      .then(
        () => {
          if (tag === 'last') ctx.lastCheckpointStep = state.step;
        },
        (error: unknown) => {
          writeError ??= error;
        },
      )
      .finally(release);
  };
  save.flush = async () => {
    await writing;
    throwWriteError();
  };
  return save;
}
