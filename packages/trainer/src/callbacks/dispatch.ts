import * as tf from '@tensorflow/tfjs';
import type { CheckpointData, CheckpointTag } from '../checkpoint';
import type { BatchLogs, CallbackState, EpochLogs, TrainBeginLogs, TrainEndLogs, TrainerCallback, TrainerContext } from './types';

/** Calls the hooks of a callback list in order (`onValidationEnd` in reverse), and gathers their state. */
export function dispatcher(callbacks: readonly TrainerCallback[], ctx: TrainerContext) {
  const each = async (hook: (cb: TrainerCallback) => void | Promise<void> | undefined, order = callbacks) => {
    for (const cb of order) await hook(cb);
  };
  const reversed = [...callbacks].reverse();
  const stateful = callbacks.filter((cb): cb is TrainerCallback & { stateKey: string } => cb.stateKey !== undefined);
  return {
    onTrainBegin: (logs: TrainBeginLogs) => each((cb) => cb.onTrainBegin?.(logs, ctx)),
    onEpochBegin: (epoch: number) => each((cb) => cb.onEpochBegin?.(epoch, ctx)),
    onBatchEnd: (batch: number, logs: BatchLogs) => each((cb) => cb.onBatchEnd?.(batch, logs, ctx)),
    onValidationBegin: (epoch: number) => each((cb) => cb.onValidationBegin?.(epoch, ctx)),
    onValidationEnd: (epoch: number, logs: EpochLogs) => each((cb) => cb.onValidationEnd?.(epoch, logs, ctx), reversed),
    onEpochEnd: (epoch: number, logs: EpochLogs) => each((cb) => cb.onEpochEnd?.(epoch, logs, ctx)),
    onTrainEnd: (logs: TrainEndLogs) => each((cb) => cb.onTrainEnd?.(logs, ctx)),

    /** Every stateful callback's `stateDict()`, by key. */
    states(): Record<string, CallbackState> {
      return Object.fromEntries(stateful.filter((cb) => cb.stateDict).map((cb) => [cb.stateKey, cb.stateDict!()]));
    },
    /** Copies of every stateful callback's tensors for a checkpoint of `tag` (the caller frees them). */
    tensors(tag: CheckpointTag): Record<string, tf.NamedTensorMap> {
      const out: Record<string, tf.NamedTensorMap> = {};
      for (const cb of stateful) {
        const map = cb.tensorState?.(tag);
        if (map && Object.keys(map).length > 0) out[cb.stateKey] = map;
      }
      return out;
    },
    /** Gives each stateful callback its saved state and tensors back. */
    restore(checkpoint: CheckpointData): void {
      for (const cb of stateful) {
        const state = checkpoint.state.callbacks[cb.stateKey];
        if (state !== undefined) cb.loadStateDict?.(state);
        const tensors = checkpoint.tensors[cb.stateKey];
        if (tensors) cb.loadTensorState?.(tensors);
      }
    },
    dispose(): void {
      for (const cb of callbacks) cb.dispose?.();
    },
  };
}

export type Dispatcher = ReturnType<typeof dispatcher>;
