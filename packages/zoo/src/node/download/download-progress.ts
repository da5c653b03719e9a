/** Where a download stands; `onProgress` gets one after every chunk written. */
export interface DownloadProgress {
  url: string;
  /** The cache file's name. */
  fileName: string;
  /** Bytes of the file on disk so far, a resumed part included. */
  receivedBytes: number;
  /** The whole file's size, when the server says it. */
  totalBytes?: number;
  /** Where a resumed download started (0 for a fresh one). */
  resumedFrom: number;
  /** True once, on the last report of a completed body. */
  done: boolean;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

/** One line for a progress report: `resnet50_….h5 [######----]  60% 61.2/102.0 MiB`, or the MiB so far when the size is unknown. */
export function formatDownloadProgress(progress: DownloadProgress, barWidth = 24): string {
  const resumed = progress.resumedFrom > 0 ? ` (resumed at ${mib(progress.resumedFrom)} MiB)` : '';
  if (!progress.totalBytes) return `${progress.fileName} ${mib(progress.receivedBytes)} MiB${resumed}`;
  const fraction = Math.min(1, progress.receivedBytes / progress.totalBytes);
  const filled = Math.floor(fraction * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${progress.fileName} ${bar} ${percent} ${mib(progress.receivedBytes)}/${mib(progress.totalBytes)} MiB${resumed}`;
}

/** What the progress bar writes to: process.stderr, or anything with `write` (and `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Characters of the bar. Default 24. */
  barWidth?: number;
}

/**
 * An `onProgress` callback that draws a progress bar for the CLI. On a terminal it redraws one
 * line in place (`\r`) whenever the whole percent changes; elsewhere (a log file, CI) it writes
 * a line every 10 %, so logs stay short. Without a known size it reports every 16 MiB.
 */
export function createProgressBar(options: ProgressBarOptions = {}): (progress: DownloadProgress) => void {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  let lastStep: number | undefined;
  return (progress) => {
    const step = progress.totalBytes
      ? Math.floor((Math.min(1, progress.receivedBytes / progress.totalBytes) * 100) / (tty ? 1 : 10))
      : Math.floor(progress.receivedBytes / (tty ? MiB : 16 * MiB));
    if (step === lastStep) {
      if (progress.done && tty) stream.write('\n'); // end the redrawn line
      return;
    }
    lastStep = step;
    const line = formatDownloadProgress(progress, options.barWidth);
    if (tty) stream.write(`\r${line}${progress.done ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}
