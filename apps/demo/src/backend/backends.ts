/**
 * Backend selection. The order is the one the app tries at startup: fastest first. `setBackend`
 * can report success while tfjs quietly stays on another backend (a failed webgpu start lands on
 * webgl), so success means `tf.getBackend()` names the backend we asked for.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@resnet-ts/kernels';
import { wantedWasmThreads, wasmThreadsNote, withWasmCoreCount } from './wasm-threads';

export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export function isBackendName(value: string | null | undefined): value is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(value ?? '');
}

/** Must match WASM_DIR in build/wasm-assets-plugin.ts: the app serves the binaries itself. */
const WASM_DIR = 'tfjs-wasm/';
let wasmConfigured = false;

function configureWasm(): void {
  if (wasmConfigured) return;
  setWasmPaths(new URL(WASM_DIR, document.baseURI).href);
  // tfjs defaults to half the cores (1 on a 2-core machine); training wants them all. Threads
  // need cross-origin isolation (COOP/COEP headers); without it tfjs runs one thread anyway.
  setThreadsCount(wantedWasmThreads());
  registerWasmTrainingKernels();
  wasmConfigured = true;
}

/** Activates `name`; true only when tfjs really runs on it afterwards. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  if (name === 'wasm') configureWasm();
  if (name === 'webgpu' && !('gpu' in navigator)) return false;
  try {
    const start = async () => {
      const ok = await tf.setBackend(name);
      await tf.ready();
      return ok;
    };
    const ok = name === 'wasm' ? await withWasmCoreCount(wantedWasmThreads(), start) : await start();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** The backend to offer when `current` fails: the next one in the startup order, if any. */
export function nextBackend(current: string): BackendName | undefined {
  const index = BACKEND_ORDER.indexOf(current as BackendName);
  return index >= 0 ? BACKEND_ORDER[index + 1] : undefined;
}

export interface BackendChoice {
  active: BackendName;
  /** Backends tried before `active` that did not start, in order. */
  failed: BackendName[];
}

/** Tries `preferred` first (when given), then the default order. */
export async function pickBackend(preferred?: BackendName): Promise<BackendChoice> {
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : [...BACKEND_ORDER];
  const failed: BackendName[] = [];
  for (const name of order) {
    if (await activateBackend(name)) return { active: name, failed };
    failed.push(name);
  }
  throw new Error('No TensorFlow.js backend could start in this browser (tried webgpu, webgl, wasm, cpu).');
}

export interface BackendInfo {
  name: string;
  /** Human-readable details: the GPU adapter, or SIMD and thread count for wasm. */
  details: string[];
}

export async function describeBackend(): Promise<BackendInfo> {
  const name = tf.getBackend();
  const details: string[] = [];
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = getThreadsCount();
    details.push(`SIMD ${simd ? 'on' : 'off'}`, `${threads} thread${threads === 1 ? '' : 's'}`);
    const why = await wasmThreadsNote(threads);
    if (why) details.push(why);
  } else if (name === 'webgl') {
    details.push(`WebGL ${tf.env().getNumber('WEBGL_VERSION')}`);
    const renderer = webglRenderer();
    if (renderer) details.push(renderer);
  } else if (name === 'webgpu') {
    details.push('WebGPU');
  } else {
    details.push('plain JavaScript (slow)');
  }
  return { name, details };
}

function webglRenderer(): string | undefined {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader/i.test(renderer) ? 'SwiftShader (software)' : renderer;
}
