import * as tf from '@tensorflow/tfjs';
import { heapAddress, type WasmHeapBackend } from '../wasm/heap-copies';
import { simdKernelsFor } from '../wasm/simd-module';
import { withStockFallback, type WasmKernelArgs } from '../wasm/stock-kernels';

/**
 * Batch normalization with per-channel (rank-1) statistics as one SIMD multiply-add per element:
 * scale = gamma / sqrt(var + eps) and shift = beta - mean * scale are folded per channel first.
 * The stock wasm kernel is a scalar loop. Other statistics shapes go to the stock kernel.
 */
function fusedBatchNorm(args: WasmKernelArgs): tf.TensorInfo | null {
  const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const { varianceEpsilon } = args.attrs as unknown as { varianceEpsilon: number };
  const channels = x!.shape[x!.shape.length - 1];
  const perChannel = (t: tf.TensorInfo | undefined) => t == null || (t.shape.length === 1 && t.shape[0] === channels && t.dtype === 'float32');
  const wasm = args.backend as unknown as WasmHeapBackend;
  const simd = simdKernelsFor(wasm.wasm);
  const fits = x!.dtype === 'float32' && mean != null && variance != null && [mean, variance, offset, scale].every(perChannel);
  if (!simd || !fits) return null;

  const out = wasm.makeOutput(x!.shape, 'float32');
  const folded = wasm.makeOutput([2 * channels], 'float32');
  // Views are taken after allocating: a heap growth replaces the buffer.
  const buffer = wasm.wasm.HEAPU8.buffer;
  const view = (t: tf.TensorInfo, length = channels) => new Float32Array(buffer, heapAddress(args.backend, t), length);
  const [means, variances] = [view(mean!), view(variance!)];
  const gammas = scale ? view(scale) : null;
  const betas = offset ? view(offset) : null;
  const foldedValues = view(folded, 2 * channels);
  for (let c = 0; c < channels; c++) {
    const gain = (gammas ? gammas[c] : 1) / Math.sqrt(variances[c] + varianceEpsilon);
    foldedValues[c] = gain;
    foldedValues[channels + c] = (betas ? betas[c] : 0) - means[c] * gain;
  }
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  const foldedAt = heapAddress(args.backend, folded);
  simd.channel_affine(heapAddress(args.backend, x!), rows, channels, foldedAt, foldedAt + 4 * channels, heapAddress(args.backend, out));
  args.backend.disposeData(folded.dataId);
  return out;
}

export function fusedBatchNormConfig(): tf.KernelConfig {
  return withStockFallback(tf.FusedBatchNorm, fusedBatchNorm);
}
