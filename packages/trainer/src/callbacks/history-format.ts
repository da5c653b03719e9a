import type { EpochLogs } from './types';

/** Columns of the CSV history, in order. */
export const HISTORY_COLUMNS = [
  'epoch',
  'step',
  'loss',
  'accuracy',
  'top5',
  'val_loss',
  'val_accuracy',
  'val_top5',
  'lr',
  'seconds',
  'imagesPerSecond',
] as const;

/** The epoch history as CSV text (header + one row per epoch; empty cells for absent metrics). */
export function historyToCsv(history: readonly EpochLogs[]): string {
  const rows = history.map((logs) =>
    HISTORY_COLUMNS.map((key) => {
      const value = (logs as unknown as Record<string, number | undefined>)[key];
      return value === undefined ? '' : String(value);
    }).join(','),
  );
  return [HISTORY_COLUMNS.join(','), ...rows].join('\n') + '\n';
}

/** One JSON object per line. */
export function toJsonl(records: readonly object[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}
