import type { EarlyStoppingOptions } from './callbacks/early-stopping';
import type { OptimizerSpec } from './optimizers';
import type { ScheduleSpec } from './schedules';
import type { TransferOptions } from './transfer';

export interface EmaOptions {
  /** Default 0.999. */
  decay?: number;
  /** Validate with the averaged weights. Default true. */
  evaluate?: boolean;
  /** Leave the averaged weights in the model when training ends. Default true. */
  applyAtEnd?: boolean;
}

/**
 * The JSON-serializable part of a training run; saved with every checkpoint so `resume` can
 * continue with exactly the same settings. Defaults follow the notebook (Adam, batch 32, 20 epochs).
 */
export interface TrainConfig {
  /** Default 20. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Base (peak) learning rate. Default 1e-3 (Keras Adam). */
  lr?: number;
  /** Default `{ type: 'adam' }`. */
  optimizer?: OptimizerSpec;
  /** Default `{ type: 'constant' }`. */
  schedule?: ScheduleSpec;
  /** Decoupled weight decay (AdamW/SGDW); not applied to biases and BatchNorm. Default 0. */
  weightDecay?: number;
  /** Default 0. */
  labelSmoothing?: number;
  /** Clip gradients to this global L2 norm; 0 = off. Default 0. */
  clipNorm?: number;
  /** Recorded with the run; data order comes from the dataset's own seed and the epoch. Default 0. */
  seed?: number;
  /** Default true. */
  shuffle?: boolean;
  /** Default true. */
  augment?: boolean;
  /** Drop the last incomplete batch of each epoch. Default false. */
  dropRemainder?: boolean;
  /** Train at most this many batches per epoch (a step budget). Default: all. */
  maxStepsPerEpoch?: number;
  /** Validate on at most this many batches. Default: all. */
  maxValBatches?: number;
  /** Metric that picks the best checkpoint. Default `val_loss`. */
  monitor?: string;
  /** Default: off. */
  earlyStopping?: EarlyStoppingOptions | false;
  /** Also write the `last` checkpoint every this many steps (mid-epoch). Default 0: epoch ends only. */
  checkpointEverySteps?: number;
  /**
   * Before each validation, recompute BatchNorm statistics as the average over this many training
   * batches ("precise BN"). Default 0 (off: the layers' own moving averages).
   */
  preciseBnBatches?: number;
  /** Keep an exponential moving average of the weights. Default: off. */
  ema?: EmaOptions | false;
  transfer?: TransferOptions;
  /** Free-form, JSON-serializable data stored with the run (model name, data source...). */
  metadata?: Record<string, unknown>;
}

export type ResolvedTrainConfig = Required<Omit<TrainConfig, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>> &
  Pick<TrainConfig, 'transfer' | 'metadata' | 'maxStepsPerEpoch' | 'maxValBatches'>;

export const TRAIN_DEFAULTS = {
  epochs: 20,
  batchSize: 32,
  lr: 1e-3,
  optimizer: { type: 'adam' },
  schedule: { type: 'constant' },
  weightDecay: 0,
  labelSmoothing: 0,
  clipNorm: 0,
  seed: 0,
  shuffle: true,
  augment: true,
  dropRemainder: false,
  monitor: 'val_loss',
  earlyStopping: false,
  checkpointEverySteps: 0,
  preciseBnBatches: 0,
  ema: false,
} as const satisfies Partial<TrainConfig>;

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new Error(`Invalid training config "${field}": ${message}`);
}

/** Fills defaults and validates ranges, naming the offending field. */
export function resolveTrainConfig(config: TrainConfig): ResolvedTrainConfig {
  const c: ResolvedTrainConfig = { ...TRAIN_DEFAULTS, ...stripUndefined(config) } as ResolvedTrainConfig;
  check(Number.isInteger(c.epochs) && c.epochs > 0, 'epochs', `must be a positive integer, got ${c.epochs}.`);
  check(Number.isInteger(c.batchSize) && c.batchSize > 0, 'batchSize', `must be a positive integer, got ${c.batchSize}.`);
  check(c.lr > 0 && Number.isFinite(c.lr), 'lr', `must be a positive number, got ${c.lr}.`);
  check(c.weightDecay >= 0, 'weightDecay', `must be >= 0, got ${c.weightDecay}.`);
  check(c.labelSmoothing >= 0 && c.labelSmoothing < 1, 'labelSmoothing', `must be in [0, 1), got ${c.labelSmoothing}.`);
  check(c.clipNorm >= 0, 'clipNorm', `must be >= 0 (0 = off), got ${c.clipNorm}.`);
  check(c.checkpointEverySteps >= 0, 'checkpointEverySteps', `must be >= 0, got ${c.checkpointEverySteps}.`);
  if (c.maxStepsPerEpoch !== undefined) {
    check(c.maxStepsPerEpoch > 0, 'maxStepsPerEpoch', `must be > 0, got ${c.maxStepsPerEpoch}.`);
  }
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const CONFIG_KEYS = [
  'epochs', 'batchSize', 'lr', 'optimizer', 'schedule', 'weightDecay', 'labelSmoothing', 'clipNorm', 'seed', 'shuffle',
  'augment', 'dropRemainder', 'maxStepsPerEpoch', 'maxValBatches', 'monitor', 'earlyStopping', 'checkpointEverySteps', 'preciseBnBatches',
  'ema', 'transfer', 'metadata',
] as const satisfies readonly (keyof TrainConfig)[];

/** The TrainConfig fields of an options object (drops model, datasets, callbacks...). */
export function pickConfig(options: TrainConfig): TrainConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as TrainConfig;
}
