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
