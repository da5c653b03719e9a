import { SIMD_MODULE_SHARED_MEMORY, SIMD_MODULE_UNSHARED_MEMORY } from './simd-module-binary.generated';

/** The exports of wasm/simd-kernels.wat (addresses are byte offsets in the backend's memory). */
export interface SimdKernels {
  adam(
    x: number, m: number, v: number, g: number, xOut: number, mOut: number, vOut: number, n: number,
    stepScale: number, beta1: number, beta2: number, inverseBiasCorrection2: number, epsilon: number, keep: number,
  ): void;
  col_sum(source: number, rows: number, cols: number, accumulator: number, out: number, scale: number): void;
  transpose2d(source: number, rows: number, cols: number, target: number): void;
  channel_affine(source: number, rows: number, cols: number, scale: number, shift: number, target: number): void;
  relu(source: number, n: number, target: number): void;
  gather_runs(
    source: number, target: number, images: number, imageStride: number, rows: number, rowStride: number, length: number, step: number,
  ): void;
}

/** The Emscripten module of a tfjs wasm backend, as far as this file reads it. */
interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

const instances = new WeakMap<object, SimdKernels | null>();
let enabled = true;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function instantiate(module: EmscriptenModule): SimdKernels | null {
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = decodeBase64(shared ? SIMD_MODULE_SHARED_MEMORY : SIMD_MODULE_UNSHARED_MEMORY);
  // A runtime without wasm SIMD rejects the module: the callers' JavaScript paths take over.
  if (!WebAssembly.validate(bytes)) return null;
  // The module is under 2 KB: small enough for synchronous compilation on a browser's main thread.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/**
 * The SIMD kernels bound to the memory of the given tfjs wasm backend module (`backend.wasm`), or
 * null where they cannot run (no wasm SIMD, no memory found, or disabled): callers then use their
 * JavaScript loops. Instantiated once per backend module.
 */
export function simdKernelsFor(module: object): SimdKernels | null {
  if (!enabled) return null;
  if (!instances.has(module)) {
    let kernels: SimdKernels | null = null;
    try {
      kernels = instantiate(module as EmscriptenModule);
    } catch {
      kernels = null;
    }
    instances.set(module, kernels);
  }
  return instances.get(module) ?? null;
}

/** Turns the SIMD kernels off (or back on), so tests can check the JavaScript fallbacks too. */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}
