import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FitMode } from '../core/types';
import { DECODE_WORKER_SOURCE } from './decode-worker-source';

export interface DecodeTask {
  path: string;
  width: number;
  height: number;
  fit: FitMode;
  /** Images with a side shorter than this are rejected as broken. */
  minSide: number;
  /** Images with more pixels than this are rejected before decoding (memory guard). */
  maxPixels: number;
}

interface Pending {
  task: DecodeTask;
  resolve: (data: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  busy: Pending | null;
}

/** Default worker count: the cores minus one for the training thread, between 1 and 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));
}

let sharpPath: string | undefined;

/**
 * Decodes images with sharp in worker threads, one image per worker at a time. Workers start on
 * first use, are referenced only while they hold a task (so an idle pool never keeps the process
 * alive), restart after a crash, and stop on `terminate()`.
 */
export class DecodePool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;

  constructor(readonly size: number = defaultWorkerCount()) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`workers must be a positive integer, got ${size}`);
  }

  decode(task: DecodeTask): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async terminate(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const pending of this.queue.splice(0)) pending.reject(new Error('decode pool was disposed'));
    for (const w of workers) w.busy?.reject(new Error('decode pool was disposed'));
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.workers.find((w) => w.busy === null);
      if (!slot && this.workers.length < this.size) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.busy = pending;
      slot.worker.ref();
      slot.worker.postMessage({ id: this.nextId++, ...pending.task });
    }
  }

  private spawn(): PoolWorker {
    sharpPath ??= createRequire(import.meta.url).resolve('sharp');
    const worker = new Worker(DECODE_WORKER_SOURCE, { eval: true, workerData: { sharpPath } });
    worker.unref();
    const slot: PoolWorker = { worker, busy: null };
    worker.on('message', (message: { data?: Uint8Array; error?: string }) => {
      const pending = slot.busy;
      slot.busy = null;
      worker.unref();
      if (pending) {
        if (message.error !== undefined) pending.reject(new Error(message.error));
        else pending.resolve(message.data!);
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.retire(slot, `decode worker crashed (${error.message})`));
    worker.on('exit', (code) => this.retire(slot, `decode worker exited with code ${code}`));
    this.workers.push(slot);
    return slot;
  }

  /** Drops a dead worker, fails its task with the reason, and lets a fresh one take the queue. */
  private retire(slot: PoolWorker, reason: string): void {
    const index = this.workers.indexOf(slot);
    if (index < 0) return;
    this.workers.splice(index, 1);
    const pending = slot.busy;
    slot.busy = null;
    pending?.reject(new Error(reason));
    this.dispatch();
  }
}
