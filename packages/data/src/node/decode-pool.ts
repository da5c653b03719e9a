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

/** Which decoder handled an image: sharp, or wasm libjpeg-turbo for a plain JPEG at the target size. */
export type ImageDecoderName = 'sharp' | 'wasmJpeg';

interface Pending {
  task: DecodeTask;
  resolve: (data: Uint8Array) => void;
  reject: (error: Error) => void;
  /** Retried alone on a worker after a crash that it shared with other tasks. */
  isolated?: boolean;
}

interface PoolWorker {
  worker: Worker;
  /** Tasks sent to this worker and not answered yet, by message id. */
  inFlight: Map<number, Pending>;
}

/**
 * Tasks handed to a worker at once: descriptors, cheap to hold (callers bound the pixels they ask
 * for). The worker decodes a few at a time and queues the rest, so it keeps working while the main
 * thread is blocked: onnxruntime-node builds its session and runs inference synchronously on the
 * main thread (as the tfjs wasm backend runs a step). Handed 4 at a time, the worker idled through
 * each onnxruntime batch; handed a whole folder, it decodes on the free core while onnxruntime
 * builds its session (resnet predict, 1080 SIGNS images: model time 4.3 s -> 3.9 s). After a
 * crash every task the worker held is retried alone: slow, but crashes are rare.
 */
const TASKS_PER_WORKER = 1024;

/** Default worker count: the cores minus one for the training thread, between 1 and 4. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) - 1));
}

interface WorkerPaths {
  sharpPath: string;
  /** The wasm JPEG decoder, when its package resolves (the worker falls back to sharp otherwise). */
  jpegDecoder?: { module: string; wasm: string };
}

let resolvedPaths: WorkerPaths | undefined;

/** Thrown when the optional peer sharp, which decodes image files in Node, is not installed. */
export class SharpMissingError extends Error {
  override readonly name = 'SharpMissingError';
}

function workerPaths(): WorkerPaths {
  if (resolvedPaths) return resolvedPaths;
  const require = createRequire(import.meta.url);
  let sharpPath: string;
  try {
    sharpPath = require.resolve('sharp');
  } catch (cause) {
    throw new SharpMissingError(
      'Decoding image files in Node needs sharp, an optional peer dependency of @resnet-ts/data that is not installed: run `npm install sharp` (0.34 or later).',
      { cause },
    );
  }
  resolvedPaths = { sharpPath };
  try {
    resolvedPaths.jpegDecoder = { module: require.resolve('@jsquash/jpeg/decode.js'), wasm: require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm') };
  } catch {
    // Not installed: every image goes through sharp.
  }
  return resolvedPaths;
}

/** A task retried alone goes to an idle worker, which takes nothing else while it holds it. */
function holdsIsolatedTask(worker: PoolWorker): boolean {
  if (worker.inFlight.size !== 1) return false;
  const [only] = worker.inFlight.values();
  return only.isolated === true;
}

/**
 * Decodes images with sharp (or, for plain JPEGs, wasm libjpeg-turbo) in worker threads: each
 * worker holds up to TASKS_PER_WORKER tasks and decodes 4 at a time (the worker source says why).
 * Workers start on first use, are referenced only while they hold a task (so an idle pool never
 * keeps the process alive), restart after a crash, and stop on `terminate()`.
 */
export class DecodePool {
  /** Images decoded so far by each decoder. */
  readonly decodedBy: Record<ImageDecoderName, number> = { sharp: 0, wasmJpeg: 0 };
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;

  constructor(readonly size: number = defaultWorkerCount()) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`workers must be a positive integer, got ${size}`);
    // Resolved now, not on the first decode: a missing sharp is one error when the source opens,
    // never a failure of every image (which onError 'skip' would turn into an empty dataset).
    workerPaths();
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
    for (const w of workers) for (const pending of w.inFlight.values()) pending.reject(new Error('decode pool was disposed'));
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // Spread tasks: an idle worker first, a new one while under the size, then the least loaded.
      // A task retried after a crash runs alone, and its worker takes nothing else meanwhile.
      const isolated = this.queue[0].isolated === true;
      let slot = this.workers.find((w) => w.inFlight.size === 0);
      if (!slot && this.workers.length < this.size) slot = this.spawn();
      if (!slot && !isolated) {
        slot = this.workers.reduce<PoolWorker | undefined>(
          (best, w) =>
            w.inFlight.size < TASKS_PER_WORKER && !holdsIsolatedTask(w) && (!best || w.inFlight.size < best.inFlight.size) ? w : best,
          undefined,
        );
      }
      if (!slot) return;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      slot.inFlight.set(id, pending);
      slot.worker.ref();
      slot.worker.postMessage({ id, ...pending.task });
    }
  }

  private spawn(): PoolWorker {
    const worker = new Worker(DECODE_WORKER_SOURCE, { eval: true, workerData: workerPaths() });
    worker.unref();
    const slot: PoolWorker = { worker, inFlight: new Map() };
    worker.on('message', (message: { id: number; data?: Uint8Array; via?: ImageDecoderName; error?: string }) => {
      if (message.via) this.decodedBy[message.via]++;
      const pending = slot.inFlight.get(message.id);
      slot.inFlight.delete(message.id);
      if (slot.inFlight.size === 0) worker.unref();
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
    const orphans = [...slot.inFlight.values()];
    slot.inFlight.clear();
    if (orphans.length === 1) {
      orphans[0].reject(new Error(reason));
    } else {
      // Any of them may have crashed the worker: retry each alone, so only the culprit fails.
      for (const pending of orphans) pending.isolated = true;
      this.queue.unshift(...orphans);
    }
    this.dispatch();
  }
}
