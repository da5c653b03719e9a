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
        const positive = ops.node('Greater', [y, ops.scalar(0)], `${layerName}/relu_mask`);
        return ops.node('Where', [positive, dy, ops.scalar(0)], `${layerName}/relu_grad`);
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
