/**
 * The one place that decides whether a metric improved (Keras's `MonitorCallback`): the best
 * checkpoint, early stopping and ReduceLROnPlateau all stand on it, so they agree about every
 * metric name.
 */

/** `max` for metrics where higher is better (accuracy, top-5, F1, precision, recall), else `min`. */
export function monitorMode(monitor: string): 'min' | 'max' {
  return /acc|top5|f1|precision|recall/.test(monitor) ? 'max' : 'min';
}

export interface MonitorState {
  best: number | null;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

/** Tracks the best value of a metric. */
export class MetricMonitor {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  state: MonitorState = { best: null, bestEpoch: -1, wait: 0 };

  constructor(monitor: string, mode: 'min' | 'max' | undefined, private readonly minDelta = 0) {
    this.monitor = monitor;
    this.mode = mode ?? monitorMode(monitor);
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

  /** Whether `value` beats the best so far by more than minDelta (any finite value beats none). */
  improves(value: number): boolean {
    const best = this.state.best;
    return best === null || (this.mode === 'min' ? value < best - this.minDelta : value > best + this.minDelta);
  }

  /** Records the epoch's value; returns true when it is a new best. A missing or non-finite value changes nothing. */
  update(epoch: number, logs: Readonly<Record<string, unknown>>): boolean {
    const value = this.read(logs);
    if (value === undefined || !Number.isFinite(value)) return false;
    const improved = this.improves(value);
    if (improved) this.state = { best: value, bestEpoch: epoch, wait: 0 };
    else this.state = { ...this.state, wait: this.state.wait + 1 };
    return improved;
  }
}
