import { MetricMonitor } from './monitor';
import type { CallbackState, EpochLogs, TrainerCallback, TrainerContext } from './types';

export interface ReduceLrOnPlateauOptions {
  /** Default `val_loss`. */
  monitor?: string;
  /** Default: from the metric's name (see `monitorMode`). */
  mode?: 'min' | 'max';
  /** Multiplies the rate by this after `patience` epochs without improvement. Default 0.1. */
  factor?: number;
  /** Default 2. */
  patience?: number;
  /** Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a cut before counting again. Default 0. */
  cooldown?: number;
  /** The rate never goes below this. Default 0. */
  minLr?: number;
}

/** Keras's ReduceLROnPlateau: scales the schedule's rate through `ctx.lrScale`. */
export class ReduceLrOnPlateau implements TrainerCallback {
  readonly stateKey = 'reduce-lr-on-plateau';
  private readonly monitor: MetricMonitor;
  private scale = 1;
  private wait = 0;
  private cooldown = 0;

  constructor(
    private readonly options: ReduceLrOnPlateauOptions,
    private readonly baseLr: number,
  ) {
    this.monitor = new MetricMonitor(options.monitor ?? 'val_loss', options.mode, options.minDelta ?? 1e-4);
  }

  stateDict(): CallbackState {
    return { scale: this.scale, best: this.monitor.state.best, wait: this.wait, cooldown: this.cooldown };
  }

  loadStateDict(state: CallbackState): void {
    const s = state as { scale: number; best: number | null; wait: number; cooldown: number };
    this.scale = s.scale;
    this.wait = s.wait;
    this.cooldown = s.cooldown;
    this.monitor.state = { ...this.monitor.state, best: s.best };
  }

  onTrainBegin(_logs: unknown, ctx: TrainerContext): void {
    ctx.lrScale = this.scale;
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainerContext): void {
    const value = this.monitor.read(logs as unknown as Record<string, unknown>);
    if (value === undefined || !Number.isFinite(value)) return;
    if (this.cooldown > 0) this.cooldown -= 1;
    if (this.monitor.improves(value)) {
      this.monitor.state = { best: value, bestEpoch: epoch, wait: 0 };
      this.wait = 0;
      return;
    }
    if (this.cooldown > 0) return;
    this.wait += 1;
    if (this.wait < (this.options.patience ?? 2)) return;
    this.wait = 0;
    this.cooldown = this.options.cooldown ?? 0;
    this.scale = Math.max((this.options.minLr ?? 0) / this.baseLr, this.scale * (this.options.factor ?? 0.1));
    ctx.lrScale = this.scale;
  }
}
