import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../register-wasm-training-kernels';
import { createThreadedWasmModule, PTHREAD_POOL_SIZE } from './threaded-wasm-module';

/** Options of {@link initNodeWasmBackend}. */
export interface NodeWasmBackendOptions {
  /**
   * Threads for wasm kernels (XNNPACK's thread pool). Default: all logical cores, at most
   * {@link MAX_WASM_THREADS}. Stock tfjs-backend-wasm runs one thread in Node.
   */
  threads?: number;
}

/** What {@link initNodeWasmBackend} set up. */
export interface NodeWasmBackendInfo {
  /** Threads the wasm runtime actually runs (as reported by the module, not as requested). */
  threads: number;
  /** Whether the SIMD build is in use. */
  simd: boolean;
}

/** The upstream threaded build pre-spawns this many workers; more threads would wait forever. */
export const MAX_WASM_THREADS = PTHREAD_POOL_SIZE;

const BACKEND_NAME = 'wasm';
const BACKEND_PRIORITY = 2;
/** The thread count of the wasm backend this module registered, or null if none. */
let registeredThreads: number | null = null;

function defaultThreads(): number {
  return Math.min(MAX_WASM_THREADS, os.availableParallelism?.() ?? os.cpus().length);
}

function resolveThreads(requested: number | undefined): number {
  const threads = requested ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(
      `initNodeWasmBackend: options.threads must be an integer from 1 to ${MAX_WASM_THREADS}, got ${requested}.`,
    );
  }
  return threads;
}

/**
 * Makes the tfjs `wasm` backend (threaded SIMD build) the active backend in Node, with the thread
 * count chosen, and registers the training kernels of this package.
 *
 * Calling it again with the same thread count is a no-op; with another count it re-creates the
 * backend, which requires that no tensor lives on the old one (dispose models first).
 * Worker threads are unref'd, so the process exits by itself when its work ends (no
 * process.exit needed).
 */
export async function initNodeWasmBackend(options: NodeWasmBackendOptions = {}): Promise<NodeWasmBackendInfo> {
  const threads = resolveThreads(options.threads);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  if (!simd) {
    throw new Error('initNodeWasmBackend: this Node has no WebAssembly SIMD; use Node >= 16.4 or the cpu backend.');
  }
  registerWasmTrainingKernels();

  if (registeredThreads !== threads) {
    const existing = tf.engine().registry[BACKEND_NAME] as BackendWasm | undefined;
    const live = existing?.numDataIds() ?? 0;
    if (live > 0) {
      throw new Error(
        `initNodeWasmBackend: cannot switch the wasm backend to ${threads} threads while ${live} tensors ` +
          'live on it; dispose models and tensors first (tf.disposeVariables(), model.dispose()).',
      );
    }
    if (tf.findBackendFactory(BACKEND_NAME) != null) tf.removeBackend(BACKEND_NAME);
    tf.registerBackend(
      BACKEND_NAME,
      async () => {
        // BackendWasm's constructor reads the module-level count set here.
        setThreadsCount(threads);
        const module = await createThreadedWasmModule();
        const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
        // The constructor started the thread pool; Emscripten refs a Node worker while it runs a
        // pthread, and pool threads run forever, so unref them or the process never exits.
        for (const worker of module.PThread.runningWorkers as Array<{ unref(): void }>) worker.unref();
        return backend;
      },
      BACKEND_PRIORITY,
    );
    registeredThreads = threads;
  }
  if (!(await tf.setBackend(BACKEND_NAME))) {
    throw new Error('initNodeWasmBackend: tf.setBackend("wasm") failed; see the error logged above by tfjs.');
  }
  await tf.ready();
  const backend = tf.backend() as BackendWasm;
  return { threads: (backend.wasm as any).tfjs.getThreadsCount() as number, simd };
}
