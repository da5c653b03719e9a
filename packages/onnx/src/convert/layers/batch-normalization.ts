import { OnnxExportError } from '../../errors';
import { readBatchNormParameters } from '../batch-norm-folding';
import type { LayerConversion, OnnxValue } from '../context';

/** BatchNormalization over the channel axis, kept as the ONNX op (inference mode: moving stats). */
export function convertBatchNormalization(c: LayerConversion): OnnxValue {
  const input = c.inputs[0];
  if (c.isFoldedAway) return { name: input.name, shape: c.outputShape };
  const rank = input.shape.length;
  const axis = Number(c.config.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1) {
    throw new OnnxExportError(`Layer '${c.layer.name}' (BatchNormalization): axis ${axis} is not the channel axis; only channels-last normalization exports`);
  }
  const bn = readBatchNormParameters(c.layer);
  const channels = [bn.mean.length];
  const name = c.layer.name;
  const inputs = [
    input.name,
    c.graph.addFloatInitializer(`${name}/gamma`, channels, bn.gamma),
    c.graph.addFloatInitializer(`${name}/beta`, channels, bn.beta),
    c.graph.addFloatInitializer(`${name}/moving_mean`, channels, bn.mean),
    c.graph.addFloatInitializer(`${name}/moving_variance`, channels, bn.variance),
  ];
  const output = c.graph.addNode('BatchNormalization', inputs, c.outputName, { epsilon: bn.epsilon }, ['epsilon']);
  return { name: output, shape: c.outputShape };
}
