import type { OnnxValue } from '../convert/context';
import type { GraphOps } from './graph-ops';
import { OnnxExportError } from '../errors';

/** Activations the training graph differentiates. */
export const trainableActivations = ['linear', 'relu', 'softmax'] as const;

/** Forward of a keras activation plus its backward (dy -> dx); `linear` passes both through. */
export function trainActivation(
  ops: GraphOps,
  activation: string | undefined,
  input: OnnxValue,
  outputName: string,
  layerName: string,
): { output: OnnxValue; backward: (dy: string) => string } {
  const name = activation ?? 'linear';
  if (name === 'linear') return { output: input, backward: (dy) => dy };
  if (name === 'relu') {
    const y = ops.node('Relu', [input.name], outputName);
    return {
      output: { name: y, shape: input.shape },
      backward: (dy) => {
        // dy * step(y), as tfjs's relu gradient; a Where on the mask was twice as slow in onnxruntime
        // (32x256x16x16, onnxruntime-node 1.30: Greater + Where 6.0 ms, Greater + Cast + Mul 2.7 ms).
        const positive = ops.node('Greater', [y, ops.scalar(0)], `${layerName}/relu_positive`);
        const mask = ops.node('Cast', [positive], `${layerName}/relu_mask`, { to: 1 }); // to float32
        return ops.mul(dy, mask, `${layerName}/relu_grad`);
      },
    };
  }
  if (name === 'softmax') {
    // Softmax over the last tfjs axis: the channel axis 1 of a rank-4 (NCHW) value.
    const axis = input.shape.length === 4 ? 1 : input.shape.length - 1;
    const p = ops.node('Softmax', [input.name], outputName, { axis });
    return {
      output: { name: p, shape: input.shape },
      backward: (dy) => {
        // dx = p * (dy - sum(dy * p))
        const dot = ops.reduceSum(ops.mul(dy, p, `${layerName}/softmax_dyp`), [axis], true, `${layerName}/softmax_dot`);
        return ops.mul(p, ops.sub(dy, dot, `${layerName}/softmax_centered`), `${layerName}/softmax_grad`);
      },
    };
  }
  throw new OnnxExportError(
    `Layer '${layerName}': activation '${name}' is not supported in the training graph (supported: ${trainableActivations.join(', ')})`,
  );
}
