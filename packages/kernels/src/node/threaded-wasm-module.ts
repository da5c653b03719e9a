import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { workerSourceFromEmbedded, writeWorkerScript } from './worker-script';

const require = createRequire(import.meta.url);

const THREADED_SCRIPT = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const THREADED_WORKER = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/** Number of pthread workers the upstream build pre-spawns; more threads than this would deadlock. */
export const PTHREAD_POOL_SIZE = 8;

/**
 * What the module reports as logical cores. The C++ side caps its thread pool at half of them
 * (assuming two hyper-threads per core), which on a 2-core machine means one thread; reporting
 * twice the pool size lifts the cap, and `init_with_threads_count` then gets what it asks for.
 */
const REPORTED_LOGICAL_CORES = 2 * PTHREAD_POOL_SIZE;

/** The Emscripten module with the `tfjs` bridge that `BackendWasm` expects (see upstream `init()`). */
export type ThreadedWasmModule = Record<string, any> & { tfjs: Record<string, (...args: any[]) => any> };

/**
 * Instantiates the threaded SIMD build of tfjs-backend-wasm in Node.
 *
 * Mirrors upstream `init()` with the two Node fixes: workers load from a real file instead of a
 * `blob:` URL, and the main script they import is the module file itself. Emscripten unrefs its
 * workers in Node once they are loaded, so they never keep the process alive.
 */
export async function createThreadedWasmModule(): Promise<ThreadedWasmModule> {
  const scriptPath = require.resolve(THREADED_SCRIPT);
  const factory = require(scriptPath) as (config: Record<string, unknown>) => Promise<ThreadedWasmModule>;
  const { wasmWorkerContents } = require(THREADED_WORKER) as { wasmWorkerContents: string };
  const workerPath = writeWorkerScript(workerSourceFromEmbedded(wasmWorkerContents));
  const binaryPath = path.join(path.dirname(scriptPath), THREADED_BINARY);

  let abortReason: unknown = null;
  let failInstantiation: (error: unknown) => void = () => {};
  const instantiationFailed = new Promise<never>((_, reject) => {
    failInstantiation = reject;
  });
  const created = factory({
    locateFile: (file: string, prefix: string) => {
      if (file.endsWith('.worker.js')) return workerPath;
      if (file.endsWith('.wasm')) return binaryPath;
      return prefix + file;
    },
    mainScriptUrlOrBlob: scriptPath,
    // Instantiate ourselves to override one import: the logical core count (see above).
    instantiateWasm: (
      imports: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      imports.env.emscripten_num_logical_cores = () => REPORTED_LOGICAL_CORES;
      WebAssembly.instantiate(fs.readFileSync(binaryPath), imports as unknown as WebAssembly.Imports).then(
        ({ instance, module: compiled }) => receive(instance, compiled),
        (error: unknown) => failInstantiation(error),
      );
      return {};
    },
    onAbort: (reason: unknown) => {
      abortReason = reason;
    },
  });
  const module = await Promise.race([created, instantiationFailed]).catch((error: unknown) => {
    throw new Error(`@resnet-ts/kernels/node: cannot instantiate ${binaryPath}: ${String(error)}`);
  });
  if (abortReason != null) {
    throw new Error(`@resnet-ts/kernels/node: the threaded wasm module at ${binaryPath} aborted: ${String(abortReason)}`);
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}
