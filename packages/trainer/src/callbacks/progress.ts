import type { BatchLogs, EpochLogs, TrainBeginLogs, TrainEndLogs, TrainerCallback } from './types';

export interface ProgressOptions {
  /** Where text goes (e.g. `s => process.stdout.write(s)`). */
  write: (text: string) => void;
  /** Redraw one bar in place (`\r`) rather than printing lines. Use when the output is a terminal. */
  tty?: boolean;
  /** Without a TTY, print a line every this many batches (default: about 10 lines per epoch). */
  everyBatches?: number;
  /** Width of the bar in characters. Default 24. */
  barWidth?: number;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** Progress bar with ETA, images/s, loss and accuracy; plain lines when not on a terminal. */
export function progressCallback(options: ProgressOptions): TrainerCallback {
  const now = options.now ?? (() => Date.now());
  const width = options.barWidth ?? 24;
  let begin: TrainBeginLogs;
  let epochStart = 0;
  let images = 0;
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  return {
    onTrainBegin(logs) {
      begin = logs;
    },
    onEpochBegin() {
      epochStart = now();
      images = 0;
      lossSum = 0;
      accSum = 0;
      seen = 0;
    },
    onBatchEnd(batch, logs: BatchLogs) {
      images += logs.size;
      lossSum += logs.loss * logs.size;
      accSum += logs.accuracy * logs.size;
      seen += 1;
      const elapsed = (now() - epochStart) / 1000;
      const done = batch + 1;
      const total = begin.stepsPerEpoch;
      const rate = elapsed > 0 ? images / elapsed : 0;
      const eta = seen > 0 ? (elapsed / seen) * (total - done) : NaN;
      const stats = `loss ${(lossSum / images).toFixed(4)} acc ${(accSum / images).toFixed(4)} lr ${logs.lr.toExponential(2)} ${rate.toFixed(1)} img/s`;
      const head = `epoch ${logs.epoch + 1}/${begin.epochs} ${done}/${total}`;
      if (options.tty) {
        const filled = Math.round((done / total) * width);
        const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + '.'.repeat(width - filled);
        options.write(`\r${head} [${bar}] ETA ${formatDuration(eta)} ${stats}\x1b[K`);
        return;
      }
      const every = options.everyBatches ?? Math.max(1, Math.ceil(total / 10));
      if (done % every === 0 || done === total) options.write(`${head} ETA ${formatDuration(eta)} ${stats}\n`);
    },
    onEpochEnd(epoch, logs: EpochLogs) {
      const val =
        logs.val_loss !== undefined ? ` val_loss ${logs.val_loss.toFixed(4)} val_acc ${logs.val_accuracy!.toFixed(4)}` : '';
      const top5 = logs.val_top5 !== undefined ? ` val_top5 ${logs.val_top5.toFixed(4)}` : '';
      const line = `epoch ${epoch + 1}/${begin.epochs} done in ${formatDuration(logs.seconds)}: loss ${logs.loss.toFixed(4)} acc ${logs.accuracy.toFixed(4)}${val}${top5} (${logs.imagesPerSecond.toFixed(1)} img/s)`;
      options.write(options.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
    onTrainEnd(logs: TrainEndLogs) {
      if (logs.stopReason !== 'completed') options.write(`training stopped: ${logs.message ?? logs.stopReason}\n`);
    },
  };
}
