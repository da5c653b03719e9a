import { OnnxExportError } from '../errors';
import type { OnnxGraphBuilder } from '../graph/graph-builder';
import { nhwcAxisToNchw } from './layout';
import type { OnnxValue } from './context';

/** Activations (as tfjs serializes them) that map onto one ONNX op. */
const ACTIVATION_OPS: Record<string, string | undefined> = {
  linear: undefined,
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softmax: 'Softmax',
  elu: 'Elu',
  softplus: 'Softplus',
  softsign: 'Softsign',
};

export const supportedActivations = Object.keys(ACTIVATION_OPS);

/**
 * Applies a keras activation to `input`; `linear` returns the input unchanged. Softmax works on the
 * last tfjs axis, which is the channel axis 1 for a rank-4 (NCHW) value.
 */
export function emitActivation(
  graph: OnnxGraphBuilder,
  activation: string | undefined,
  input: OnnxValue,
  outputName: string,
  layerName: string,
): OnnxValue {
  const name = activation ?? 'linear';
  if (!(name in ACTIVATION_OPS)) {
    throw new OnnxExportError(
      `Layer '${layerName}': activation '${name}' has no ONNX mapping (supported: ${supportedActivations.join(', ')})`,
    );
  }
  const op = ACTIVATION_OPS[name];
  if (!op) return input;
  const attributes: Record<string, number> = op === 'Softmax' ? { axis: nhwcAxisToNchw(-1, input.shape.length) } : {};
  return { name: graph.addNode(op, [input.name], outputName, attributes), shape: input.shape };
}
