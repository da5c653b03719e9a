import { UsageError } from '../errors';
import { BackendUnavailableError, firstLine } from './errors';
import type { BackendOptions, LoadedBackend } from './types';

/**
 * Sets the wasm backend through `@resnet-ts/kernels/node`: the threaded SIMD build with the
 * training kernels registered. Imported on demand so that commands on other backends (and
 * `--help`) do not load the wasm runtime.
 */
export async function loadWasm(options: BackendOptions): Promise<LoadedBackend> {
  const { initNodeWasmBackend, MAX_WASM_THREADS } = await import('@resnet-ts/kernels/node');
  if (options.threads !== undefined && options.threads > MAX_WASM_THREADS) {
    // A wrong flag value is the user's to fix, not a reason for `auto` to fall back to cpu.
    throw new UsageError(`--threads ${options.threads}: the wasm backend runs at most ${MAX_WASM_THREADS} threads`);
  }
  try {
    const { threads, simd } = await initNodeWasmBackend({ threads: options.threads });
    return { tfjsBackend: 'wasm', simd, threads, canTrain: true, notes: [] };
  } catch (error) {
    throw new BackendUnavailableError('wasm', `@resnet-ts/kernels could not start wasm: ${firstLine(error)}`);
  }
}
