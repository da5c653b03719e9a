/**
 * Switching backend with a model in memory. tfjs moves a tensor to the new backend lazily, with a
 * synchronous read from the old one, and WebGPU has no usable synchronous read: a model trained
 * or loaded on webgpu would compute garbage after the switch. So the weights are read
 * asynchronously first and written back once the new backend runs.
 */
import * as tf from '@tensorflow/tfjs';
import { activateBackend, type BackendName } from './backends';

export async function switchBackend(name: BackendName, model?: tf.LayersModel): Promise<boolean> {
  const snapshot = model
    ? await Promise.all(model.weights.map(async (w) => ({ values: await w.read().data(), shape: w.shape, dtype: w.dtype })))
    : [];
  if (!(await activateBackend(name))) return false;
  if (model) {
    const tensors = snapshot.map((s) => tf.tensor(s.values, s.shape as number[], s.dtype));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  return true;
}
