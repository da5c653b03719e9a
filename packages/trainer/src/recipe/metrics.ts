import { oneOf } from './fields';

/** The epoch metrics a monitor can watch (`EpochLogs`; `val_*` falls back to the training value). */
export const METRIC_NAMES = ['val_loss', 'val_accuracy', 'val_top5', 'loss', 'accuracy', 'top5'] as const;

/** A metric name, typed as a string (monitors read any epoch log). */
export const metricName = () => oneOf(() => METRIC_NAMES);
