/**
 * Test-only fault injection, asked for in the URL (`?fault=nan-weights`): the classifier's kernel
 * is set to NaN before training, so the real training step computes a NaN loss and the page's
 * handling of a broken run (stop, say why, offer the next backend, never "Done") can be checked
 * end to end on any backend. Nothing is injected without the parameter.
 */
import * as tf from '@tensorflow/tfjs';

export type Fault = 'nan-weights';

export function requestedFault(search = location.search): Fault | undefined {
  return new URLSearchParams(search).get('fault') === 'nan-weights' ? 'nan-weights' : undefined;
}

export function injectFault(model: tf.LayersModel, fault: Fault | undefined): void {
  if (fault !== 'nan-weights') return;
  const head = model.layers.at(-1)!;
  const [kernel, ...rest] = head.getWeights();
  const poisoned = tf.fill(kernel.shape, NaN);
  head.setWeights([poisoned, ...rest]);
  poisoned.dispose();
}
