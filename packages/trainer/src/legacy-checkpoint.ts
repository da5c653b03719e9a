import * as tf from '@tensorflow/tfjs';
import type { MonitorState } from './callbacks/monitor';
import type { CallbackState } from './callbacks/types';
import { joinWeightData, type CheckpointData, type CheckpointStore, type TrainingState } from './checkpoint';
import type { TrainConfig } from './config';
import { namedByPosition, orderedWeights } from './weights';

/** The training state as 0.1 wrote it: one field per feature. */
interface TrainingStateV1 extends Omit<TrainingState, 'version' | 'callbacks'> {
  version: 1;
  schedule: { scale: number; best: number | null; wait: number; cooldown: number };
  best: MonitorState;
  earlyStopping: MonitorState | null;
  transferStage: string;
}

/** A checkpoint in today's layout, and the tensors the upgrade made (the caller frees them). */
export interface UpgradedCheckpoint {
  checkpoint: CheckpointData;
  created: tf.Tensor[];
}

/**
 * Reads a checkpoint of any version as today's: 0.1's per-feature fields become callback states,
 * and its restore-best weights, which 0.1 took from the `best` checkpoint, become the early-stopping
 * callback's tensors.
 */
export async function upgradeCheckpoint(
  checkpoint: CheckpointData,
  model: tf.LayersModel,
  store: CheckpointStore | undefined,
): Promise<UpgradedCheckpoint> {
  const state = checkpoint.state as TrainingState | TrainingStateV1;
  if (state.version === 2) return { checkpoint, created: [] };
  if (state.version !== 1) throw new Error(`Checkpoint training state version ${String((state as { version: unknown }).version)} is newer than this trainer: upgrade @resnet-ts/trainer.`);
  const config = checkpoint.config;
  const { schedule, best, earlyStopping, transferStage: _stage, version: _v, ...rest } = state;
  const callbacks: Record<string, CallbackState> = { checkpoint: { ...best } };
  if (earlyStopping) callbacks['early-stopping'] = { ...earlyStopping };
  if (config.schedule?.type === 'plateau') callbacks['reduce-lr-on-plateau'] = { ...schedule };
  const tensors = { ...checkpoint.tensors };
  const restoreBest = config.earlyStopping && config.earlyStopping.restoreBest !== false;
  const bestWeights = restoreBest && store ? await validatedWeightsOfBest(store, model, config) : null;
  if (bestWeights) tensors['early-stopping'] = bestWeights;
  return {
    checkpoint: { ...checkpoint, tensors, state: { ...rest, version: 2, callbacks } },
    created: bestWeights ? Object.values(bestWeights) : [],
  };
}

/** 0.1's `best` checkpoint: its EMA copy when EMA drove validation, else its model weights. */
async function validatedWeightsOfBest(store: CheckpointStore, model: tf.LayersModel, config: TrainConfig): Promise<tf.NamedTensorMap | null> {
  const best = await store.load('best');
  if (!best) return null;
  const emaValidated = config.ema && config.ema.evaluate !== false && best.tensors.ema;
  const { ema, ...others } = best.tensors;
  tf.dispose([...Object.values(best.optimizer.slots), ...Object.values(others).flatMap((m) => Object.values(m))]);
  if (emaValidated) return ema;
  if (ema) tf.dispose(Object.values(ema));
  const map = tf.io.decodeWeights(joinWeightData(best.model.weightData), best.model.weightSpecs ?? []);
  const weights = orderedWeights(model);
  const missing = weights.find((w) => !map[w.originalName]);
  if (missing) {
    tf.dispose(Object.values(map));
    throw new Error(`Best checkpoint has no weight "${missing.originalName}": was it saved for another model?`);
  }
  const used = new Set(weights.map((w) => w.originalName));
  tf.dispose(Object.entries(map).filter(([name]) => !used.has(name)).map(([, t]) => t));
  return namedByPosition(model, weights.map((w) => map[w.originalName]));
}
