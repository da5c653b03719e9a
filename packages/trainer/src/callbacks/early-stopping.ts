import * as tf from '@tensorflow/tfjs';
import type { CheckpointTag } from '../checkpoint';
import { fromNamedByPosition, namedByPosition, orderedWeights } from '../weights';
import { MetricMonitor, type MonitorState } from './monitor';
import type { CallbackState, EpochLogs, TrainEndLogs, TrainerCallback, TrainerContext } from './types';

/** Stops training when a monitored metric stops improving (Keras EarlyStopping). */
export interface EarlyStoppingOptions {
  /** Default `val_loss` (falls back to `loss` without validation data). */
  monitor?: string;
  /** Default: `max` for accuracy-like names, else `min` (see `monitorMode`). */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. Default 5. */
  patience?: number;
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping or finishing. Default true. */
  restoreBest?: boolean;
}

/**
 * Early stopping with restore-best. The best weights are the validated ones (the EMA average when
 * EMA drives validation: they are captured inside the validation window) and travel in `last`
 * checkpoints as this callback's tensors, so a resumed run restores the same weights.
 */
export class EarlyStopping implements TrainerCallback {
  readonly stateKey = 'early-stopping';
  private readonly monitor: MetricMonitor;
  private readonly patience: number;
  private readonly restoreBest: boolean;
  private best: tf.Tensor[] | null = null;

  constructor(
    private readonly model: tf.LayersModel,
    options: EarlyStoppingOptions = {},
  ) {
    this.monitor = new MetricMonitor(options.monitor ?? 'val_loss', options.mode, options.minDelta);
    this.patience = options.patience ?? 5;
    this.restoreBest = options.restoreBest !== false;
  }

  stateDict(): CallbackState {
    return { ...this.monitor.state };
  }

  loadStateDict(state: CallbackState): void {
    this.monitor.state = { ...(state as unknown as MonitorState) };
  }

  /** Only `last` checkpoints carry the best weights: `best` ones are never resumed from. */
  tensorState(tag: CheckpointTag): tf.NamedTensorMap {
    return this.best && tag === 'last' ? namedByPosition(this.model, this.best.map((t) => t.clone())) : {};
  }

  loadTensorState(tensors: tf.NamedTensorMap): void {
    if (Object.keys(tensors).length === 0) return;
    this.keepBest(fromNamedByPosition(this.model, tensors, 'Early-stopping checkpoint').map((t) => t.clone()));
  }

  async onValidationEnd(epoch: number, logs: EpochLogs, ctx: TrainerContext): Promise<void> {
    if (!this.monitor.update(epoch, logs as unknown as Record<string, unknown>) || !this.restoreBest) return;
    await ctx.engine.syncToModel();
    this.keepBest(orderedWeights(this.model).map((w) => w.read().clone()));
  }

  onEpochEnd(_epoch: number, _logs: EpochLogs, ctx: TrainerContext): void {
    const { wait, best, bestEpoch } = this.monitor.state;
    if (wait < this.patience) return;
    ctx.finish('early-stopping', `${this.monitor.monitor} did not improve for ${wait} epochs (best ${best} at epoch ${bestEpoch + 1})`);
  }

  async onTrainEnd(logs: TrainEndLogs, ctx: TrainerContext): Promise<void> {
    if (!this.best || (logs.stopReason !== 'early-stopping' && logs.stopReason !== 'completed')) return;
    const best = this.best;
    orderedWeights(this.model).forEach((w, i) => w.write(best[i]));
    await ctx.engine.syncFromModel();
  }

  dispose(): void {
    tf.dispose(this.best ?? []);
    this.best = null;
  }

  private keepBest(weights: tf.Tensor[]): void {
    tf.dispose(this.best ?? []);
    this.best = weights.map((t) => tf.keep(t));
  }
}
