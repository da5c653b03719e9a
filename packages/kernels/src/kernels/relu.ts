import * as tf from '@tensorflow/tfjs';
import { heapAddress, type WasmHeapBackend } from '../wasm/heap-copies';
import { simdKernelsFor } from '../wasm/simd-module';
import { withStockFallback, type WasmKernelArgs } from '../wasm/stock-kernels';

/** ReLU as SIMD max(x, 0); without wasm SIMD, or for other dtypes, the stock kernel. */
function relu(args: WasmKernelArgs): tf.TensorInfo | null {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const wasm = args.backend as unknown as WasmHeapBackend;
  const simd = x.dtype === 'float32' ? simdKernelsFor(wasm.wasm) : null;
  if (!simd) return null;
  const out = wasm.makeOutput(x.shape, 'float32');
  simd.relu(heapAddress(args.backend, x), tf.util.sizeFromShape(x.shape), heapAddress(args.backend, out));
  return out;
}

export function reluConfig(): tf.KernelConfig {
  return withStockFallback(tf.Relu, relu);
}
