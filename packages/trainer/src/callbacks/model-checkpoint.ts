import { MetricMonitor, type MonitorState } from './monitor';
import type { CallbackState, EpochLogs, TrainBeginLogs, TrainerCallback, TrainerContext } from './types';
import type { CheckpointTag } from '../checkpoint';

/** The best value of the checkpoint monitor and its (0-based) epoch; value null before any. */
export interface BestMetric {
  monitor: string;
  value: number | null;
  epoch: number;
}

export interface ModelCheckpointOptions {
  /** Metric that picks the `best` checkpoint. */
  monitor: string;
  /** Also write `last` every this many steps (mid-epoch); 0: at epoch ends only. */
  everySteps: number;
  /** Writes a checkpoint of the run as it stands (the loop's snapshot). */
  save(tag: CheckpointTag): Promise<void>;
}

/**
 * Keras's ModelCheckpoint: `last` at every epoch end, every `everySteps` steps and when the run is
 * interrupted mid-epoch; `best` when the monitor improves, written inside the validation window so
 * that it holds the weights that were validated.
 */
export class ModelCheckpoint implements TrainerCallback {
  readonly stateKey = 'checkpoint';
  private readonly monitor: MetricMonitor;
  private stepsPerEpoch = Infinity;

  constructor(private readonly options: ModelCheckpointOptions) {
    this.monitor = new MetricMonitor(options.monitor, undefined);
  }

  /** The best value of the monitor so far. */
  get best(): BestMetric {
    return { monitor: this.monitor.monitor, value: this.monitor.state.best, epoch: this.monitor.state.bestEpoch };
  }

  stateDict(): CallbackState {
    return { ...this.monitor.state };
  }

  loadStateDict(state: CallbackState): void {
    this.monitor.state = { ...(state as unknown as MonitorState) };
  }

  onTrainBegin(logs: TrainBeginLogs): void {
    this.stepsPerEpoch = logs.stepsPerEpoch;
  }

  async onBatchEnd(batch: number, logs: { step: number }, ctx: TrainerContext): Promise<void> {
    if (batch + 1 >= this.stepsPerEpoch) return; // the epoch end writes it
    const periodic = this.options.everySteps > 0 && logs.step % this.options.everySteps === 0;
    if (periodic || ctx.stopping) await this.options.save('last');
  }

  async onValidationEnd(epoch: number, logs: EpochLogs): Promise<void> {
    if (this.monitor.update(epoch, logs as unknown as Record<string, unknown>)) await this.options.save('best');
  }

  async onEpochEnd(): Promise<void> {
    await this.options.save('last');
  }
}
