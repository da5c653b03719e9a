import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from '../wasm/heap-copies';
import { withStockFallback, type WasmKernelArgs } from '../wasm/stock-kernels';

/**
 * Tile when the output is whole copies of the input: every axis up to the last repeated one has
 * size 1 in the input (broadcasting per-channel values over N, H, W, as the Mean gradient does).
 * Copies the input once, then doubles the filled part with memmove; the stock wasm kernel walks
 * every output element with index arithmetic. Other cases go to the stock kernel.
 */
function wholeCopiesTile(args: WasmKernelArgs): tf.TensorInfo | null {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as { reps: number[] };
  const lastRepeated = reps.reduce((last, r, i) => (r > 1 ? i : last), -1);
  const wholeCopies = x.dtype === 'float32' && reps.length === x.shape.length && x.shape.slice(0, lastRepeated + 1).every((d) => d === 1);
  if (!wholeCopies) return null;

  const wasm = args.backend as unknown as WasmHeapBackend;
  const out = wasm.makeOutput(x.shape.map((d, i) => d * reps[i]), 'float32');
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4;
  const target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
  const size = tf.util.sizeFromShape(x.shape);
  const total = size * reps.reduce((a, b) => a * b, 1);
  heap.copyWithin(target, source, source + size);
  for (let filled = size; filled < total; filled *= 2) {
    heap.copyWithin(target + filled, target, target + Math.min(filled, total - filled));
  }
  return out;
}

export function tileConfig(): tf.KernelConfig {
  return withStockFallback(tf.Tile, wholeCopiesTile);
}
