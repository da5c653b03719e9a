import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from '../wasm/heap-copies';

/** The part of tfjs's cpu backend this file uses. */
interface CpuBackend {
  data: { get(dataId: object): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

export function isWasmBackend(backend: tf.KernelBackend): boolean {
  return 'dataIdMap' in backend && 'wasm' in backend;
}

/**
 * Float32Array views of `inputs` and of `outputCount` new float32 outputs shaped like
 * `inputs[0]`, on the wasm backend (views of the wasm heap) or the cpu backend (its arrays), so a
 * JavaScript kernel can read and write them in place. Views are [...inputs, ...outputs].
 */
export function float32Views(
  backend: tf.KernelBackend,
  inputs: tf.TensorInfo[],
  outputCount: number,
): { outputs: tf.TensorInfo[]; views: Float32Array[] } {
  const shape = inputs[0].shape;
  const size = tf.util.sizeFromShape(shape);
  if (isWasmBackend(backend)) {
    const wasm = backend as unknown as WasmHeapBackend;
    const outputs = Array.from({ length: outputCount }, () => wasm.makeOutput(shape, 'float32'));
    // Views are taken after every allocation: a heap growth replaces the buffer.
    const buffer = wasm.wasm.HEAPU8.buffer;
    const view = (info: tf.TensorInfo) => new Float32Array(buffer, wasm.dataIdMap.get(info.dataId).memoryOffset, size);
    return { outputs, views: [...inputs.map(view), ...outputs.map(view)] };
  }
  const cpu = backend as unknown as CpuBackend;
  const outputArrays = Array.from({ length: outputCount }, () => new Float32Array(size));
  const outputs = outputArrays.map((values) => cpu.makeTensorInfo(shape, 'float32', values));
  const inputViews = inputs.map((info) => cpu.data.get(info.dataId).values as Float32Array);
  return { outputs, views: [...inputViews, ...outputArrays] };
}
