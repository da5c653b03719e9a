import { toKerasLayout, type GraphLayout } from '@resnet-ts/onnx';

/**
 * Graph-layout values as a copy in keras's layout, never a view: the cpu backend would keep a
 * reference to the array, and the engine overwrites or replaces its buffers at every step.
 */
export function kerasCopy(values: Float32Array, kerasShape: readonly number[], layout: GraphLayout | undefined): Float32Array {
  const out = toKerasLayout(values, kerasShape, layout);
  return out === values ? values.slice() : out;
}
