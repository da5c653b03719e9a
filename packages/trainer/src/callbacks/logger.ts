import { HISTORY_COLUMNS } from './history-format';
import type { EpochLogs, TrainerCallback } from './types';

export interface LoggerOptions {
  /** 'jsonl': one JSON object per epoch (and per batch with `batches`); 'csv': header + one row per epoch. */
  format: 'jsonl' | 'csv';
  /** Receives text to append (e.g. `fs.appendFileSync` bound to a path, or an array push). */
  append: (text: string) => void | Promise<void>;
  /** Also log every batch (jsonl only). Default false. */
  batches?: boolean;
}

/** Keras CSVLogger-like callback, in CSV or JSON Lines, writing through an injected sink. */
export function loggerCallback(options: LoggerOptions): TrainerCallback {
  let headerWritten = false;
  const row = (logs: EpochLogs) =>
    HISTORY_COLUMNS.map((key) => {
      const value = (logs as unknown as Record<string, number | undefined>)[key];
      return value === undefined ? '' : String(value);
    }).join(',');
  return {
    onTrainBegin: (logs) => {
      // A resumed run appends to the same file: its header is already there.
      headerWritten = logs.initialEpoch > 0;
    },
    onBatchEnd: async (_batch, logs) => {
      if (options.batches && options.format === 'jsonl') await options.append(`${JSON.stringify({ type: 'batch', ...logs })}\n`);
    },
    onEpochEnd: async (_epoch, logs) => {
      if (options.format === 'jsonl') {
        await options.append(`${JSON.stringify({ type: 'epoch', ...logs })}\n`);
        return;
      }
      if (!headerWritten) {
        await options.append(`${HISTORY_COLUMNS.join(',')}\n`);
        headerWritten = true;
      }
      await options.append(`${row(logs)}\n`);
    },
  };
}
