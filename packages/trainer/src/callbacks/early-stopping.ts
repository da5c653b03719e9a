/** Stops training when a monitored metric stops improving (Keras EarlyStopping). */
export interface EarlyStoppingOptions {
  /** Default `val_loss` (falls back to `loss` without validation data). */
  monitor?: string;
  /** Default: `max` for accuracy-like names, else `min`. */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. Default 5. */
  patience?: number;
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping or finishing. Default true. */
  restoreBest?: boolean;
}

export interface MonitorState {
  best: number | null;
  bestEpoch: number;
  wait: number;
}

/** Tracks the best value of a metric: shared by early stopping and best-checkpointing. */
export class MetricMonitor {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  state: MonitorState = { best: null, bestEpoch: -1, wait: 0 };

  constructor(monitor: string, mode: 'min' | 'max' | undefined, private readonly minDelta = 0) {
    this.monitor = monitor;
    this.mode = mode ?? (/acc|top5|f1|precision|recall/.test(monitor) ? 'max' : 'min');
  }

  /** Reads the metric from epoch logs (`val_x` falls back to `x` when no validation ran). */
  read(logs: Readonly<Record<string, unknown>>): number | undefined {
    const direct = logs[this.monitor];
    if (typeof direct === 'number') return direct;
    if (this.monitor.startsWith('val_')) {
      const fallback = logs[this.monitor.slice(4)];
      if (typeof fallback === 'number') return fallback;
    }
    return undefined;
  }

  /** Records the epoch's value; returns true when it is a new best. */
  update(epoch: number, logs: Readonly<Record<string, unknown>>): boolean {
    const value = this.read(logs);
    if (value === undefined || !Number.isFinite(value)) return false;
    const best = this.state.best;
    const improved =
      best === null || (this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta);
    if (improved) this.state = { best: value, bestEpoch: epoch, wait: 0 };
    else this.state = { ...this.state, wait: this.state.wait + 1 };
    return improved;
  }
}
