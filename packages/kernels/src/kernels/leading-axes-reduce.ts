import * as tf from '@tensorflow/tfjs';
import { heapAddress, type WasmHeapBackend } from '../wasm/heap-copies';
import { simdKernelsFor } from '../wasm/simd-module';
import { withStockFallback, type WasmKernelArgs } from '../wasm/stock-kernels';

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Number of leading axes `axis` names, if it names exactly axes 0..k-1 (k < rank); else 0. */
function leadingAxesCount(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(axis, new Array(rank).fill(1)).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

/**
 * Sum or mean over the leading axes of a float32 tensor (batch-norm statistics and gradients,
 * bias gradients: reductions over N,H,W of NHWC): one pass adding rows into a per-column
 * accumulator (SIMD wasm with float64 lanes, or a JavaScript loop where wasm SIMD is missing).
 * The stock wasm kernels first transpose the reduced axes innermost, a full copy.
 * Anything else goes to the stock kernel.
 */
function leadingAxesReduce(kernelName: 'Sum' | 'Mean') {
  return (args: WasmKernelArgs): tf.TensorInfo | null => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as ReduceAttrs;
    const leading = x.dtype === 'float32' ? leadingAxesCount(axis, x.shape.length) : 0;
    if (leading === 0) return null;

    const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
    const columns = tf.util.sizeFromShape(x.shape.slice(leading));
    const outShape = keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...x.shape.slice(leading)] : x.shape.slice(leading);
    const wasm = args.backend as unknown as WasmHeapBackend;
    const out = wasm.makeOutput(outShape, 'float32');
    const scale = kernelName === 'Mean' ? 1 / rows : 1;
    const simd = simdKernelsFor(wasm.wasm);
    if (simd) {
      // float64 column accumulators: 8 bytes per column, freed right after.
      const accumulator = wasm.makeOutput([2 * columns], 'float32');
      const at = (info: tf.TensorInfo) => heapAddress(args.backend, info);
      simd.col_sum(at(x), rows, columns, at(accumulator), at(out), scale);
      args.backend.disposeData(accumulator.dataId);
      return out;
    }
    // Views are taken after allocating: a heap growth replaces the buffer.
    const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
    const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4;
    const target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
    const accumulator = new Float64Array(columns);
    for (let r = 0; r < rows; r++) {
      const base = source + r * columns;
      for (let c = 0; c < columns; c++) accumulator[c] += heap[base + c];
    }
    for (let c = 0; c < columns; c++) heap[target + c] = accumulator[c] * scale;
    return out;
  };
}

export function sumConfig(): tf.KernelConfig {
  return withStockFallback(tf.Sum, leadingAxesReduce('Sum'));
}

export function meanConfig(): tf.KernelConfig {
  return withStockFallback(tf.Mean, leadingAxesReduce('Mean'));
}
