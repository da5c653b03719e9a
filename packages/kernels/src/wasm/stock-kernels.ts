import * as tf from '@tensorflow/tfjs';
// Importing the wasm backend registers its backend factory and its stock kernels.
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';

export const WASM = 'wasm';

/** Stock kernels of tfjs-backend-wasm, captured before this package replaces any of them. */
const stock = new Map<string, tf.KernelConfig>();

/** Remembers the stock wasm kernel `name` (first call wins) and returns it. */
export function captureStockKernel(name: string): tf.KernelConfig {
  const known = stock.get(name);
  if (known) return known;
  const config = tf.getKernel(name, WASM);
  if (config == null) {
    throw new Error(
      `@resnet-ts/kernels: tfjs-backend-wasm ${version_wasm} has no '${name}' kernel; ` +
        'install @tensorflow/tfjs-backend-wasm 4.22 next to @tensorflow/tfjs 4.22.',
    );
  }
  stock.set(name, config);
  return config;
}

/** What tfjs passes a kernel function. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}

/**
 * A wasm kernel `name` that runs `fast` and, where `fast` returns null (a case it does not
 * cover), the stock kernel. The stock setupFunc is kept: stock kernels bind their wasm functions
 * there. Captures the stock kernel now, before it is replaced.
 */
export function withStockFallback(name: string, fast: (args: WasmKernelArgs) => tf.TensorInfo | null): tf.KernelConfig {
  const stock = captureStockKernel(name);
  return {
    kernelName: name,
    backendName: WASM,
    setupFunc: stock.setupFunc,
    kernelFunc: ((args: WasmKernelArgs) => fast(args) ?? stock.kernelFunc(args as any)) as unknown as tf.KernelFunc,
  };
}
