import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors';
import { BackendUnavailableError, firstLine } from './errors';
import type { BackendOptions, LoadedBackend } from './types';

/** What `@resnet-ts/kernels/node` provides for the wasm backend in Node. */
interface KernelsNodeApi {
  initNodeWasmBackend(options?: { threads?: number }): Promise<{ threads: number; simd: boolean }>;
  /** The most threads the threaded wasm build can run. */
  MAX_WASM_THREADS?: number;
}

/**
 * Sets the wasm backend: multi-threaded with the training kernels through `@resnet-ts/kernels/node`
 * when it provides `initNodeWasmBackend`, otherwise stock `@tensorflow/tfjs-backend-wasm`.
 */
export async function loadWasm(options: BackendOptions): Promise<LoadedBackend> {
  const kernels = await importKernelsNode();
  if (kernels) {
    const max = kernels.MAX_WASM_THREADS;
    if (options.threads !== undefined && max !== undefined && options.threads > max) {
      // A wrong flag value is the user's to fix, not a reason for `auto` to fall back to cpu.
      throw new UsageError(`--threads ${options.threads}: the wasm backend runs at most ${max} threads`);
    }
    try {
      const { threads, simd } = await kernels.initNodeWasmBackend({ threads: options.threads });
      return { tfjsBackend: 'wasm', simd, threads, canTrain: true, notes: [] };
    } catch (error) {
      throw new BackendUnavailableError('wasm', `@resnet-ts/kernels could not start wasm: ${firstLine(error)}`);
    }
  }
  return loadStockWasm(options);
}

// TODO(kernels): once @resnet-ts/kernels/node exports initNodeWasmBackend, import it statically,
// delete importKernelsNode and loadStockWasm, and drop the "not available yet" note below.
async function importKernelsNode(): Promise<KernelsNodeApi | undefined> {
  const module: Partial<KernelsNodeApi> = await import('@resnet-ts/kernels/node');
  return typeof module.initNodeWasmBackend === 'function' ? (module as KernelsNodeApi) : undefined;
}

async function loadStockWasm(options: BackendOptions): Promise<LoadedBackend> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    throw new BackendUnavailableError('wasm', `@tensorflow/tfjs-backend-wasm failed to start: ${firstLine(error)}`);
  }
  if (!ok) throw new BackendUnavailableError('wasm', '@tensorflow/tfjs-backend-wasm failed to start');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = wasm.getThreadsCount();
  const notes = ['training kernels from @resnet-ts/kernels are not available yet: stock tfjs-backend-wasm'];
  if (options.threads !== undefined && options.threads !== threads) {
    notes.push(`--threads ${options.threads} ignored: stock tfjs-backend-wasm runs ${threads} thread(s) in Node`);
  }
  return { tfjsBackend: 'wasm', simd, threads, canTrain: false, notes };
}
