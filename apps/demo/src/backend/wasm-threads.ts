/**
 * Threads for the wasm backend in the page, reported as they are.
 *
 * tfjs-backend-wasm's C++ side caps XNNPACK's pool at half the logical cores it is told about
 * (assuming two hyper-threads per core), so on a 2-core machine `setThreadsCount(2)` still runs
 * one thread. The threaded build asks `navigator.hardwareConcurrency` for the core count while
 * the backend starts; reporting twice the wanted count for that moment lifts the cap, and the
 * pool gets what `setThreadsCount` asked for (the same fix `@resnet-ts/kernels/node` makes in
 * Node). Threads also need cross-origin isolation (SharedArrayBuffer); without it the
 * single-threaded build runs and `wasmThreadsNote` says why.
 */
import * as tf from '@tensorflow/tfjs';

/** The most threads the upstream threaded build can run: it pre-spawns 8 workers. */
export const MAX_WASM_THREADS = 8;

export function wantedWasmThreads(): number {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
}

/** Runs `start` (the wasm backend's start) with the core count the thread cap needs for `threads`. */
export async function withWasmCoreCount<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(navigator, 'hardwareConcurrency');
  try {
    Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
  } catch {
    return start(); // a browser that forbids it keeps the cap: `wasmThreadsNote` reports the result
  }
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(navigator, 'hardwareConcurrency', own);
    else delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** Why the wasm backend runs fewer threads than wanted, or undefined when it runs them all. */
export async function wasmThreadsNote(actual: number): Promise<string | undefined> {
  const wanted = wantedWasmThreads();
  if (actual >= wanted) return undefined;
  if (!crossOriginIsolated) return 'not cross-origin isolated: serve with COOP/COEP for threads';
  if (!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return 'no wasm threads in this browser';
  if (wanted === 1) return `this device reports ${navigator.hardwareConcurrency || 1} core`;
  return `${wanted} wanted; the wasm build started ${actual}`;
}
