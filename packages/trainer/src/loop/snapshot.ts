import * as tf from '@tensorflow/tfjs';
import type { Dispatcher } from '../callbacks/dispatch';
import { modelToArtifacts, type CheckpointStore, type CheckpointTag, type TrainingState } from '../checkpoint';
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

/**
 * Writes the run as it stands to the store (nothing without one): model, optimizer (only `last`
 * is resumed from, so `best` holds no moments), every stateful callback's state and tensors.
 */
export function snapshotter(sources: SnapshotSources): (tag: CheckpointTag) => Promise<void> {
  const { model, engine, store, config, classNames, ctx } = sources;
  const jsonConfig = JSON.parse(JSON.stringify(pickConfig(config))) as TrainConfig;
  return async (tag) => {
    if (!store) return;
    await engine.syncToModel();
    const callbacks = sources.callbacks();
    const state: TrainingState = { ...sources.state(), finished: sources.state().finished || ctx.finished, callbacks: callbacks.states() };
    const optimizer = tag === 'last' ? engine.optimizerState() : { type: config.optimizer.type, iterations: engine.optimizerSteps, slots: {} };
    const tensors = callbacks.tensors(tag);
    try {
      await store.save(tag, { model: await modelToArtifacts(model), optimizer, tensors, state, config: jsonConfig, classNames });
    } finally {
      tf.dispose([...Object.values(optimizer.slots), ...Object.values(tensors).flatMap((map) => Object.values(map))]);
    }
    if (tag === 'last') ctx.lastCheckpointStep = state.step;
  };
}
