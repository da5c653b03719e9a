import { OnnxExportError } from '../../errors';
import { emitActivation } from '../activation';
import { foldBatchNormIntoKernel } from '../batch-norm-folding';
import type { LayerConversion, OnnxValue } from '../context';
import { readWeight, requireWeight } from '../weights';

/** Dense on a rank-2 input: Gemm with the keras [in, out] kernel as B, then the activation. */
export function convertDense(c: LayerConversion): OnnxValue {
  const { layer, graph, config } = c;
  const input = c.inputs[0];
  if (input.shape.length !== 2) {
    throw new OnnxExportError(
      `Layer '${layer.name}' (Dense): input has rank ${input.shape.length}; only rank-2 inputs export (add Flatten or global pooling before it)`,
    );
  }
  const kernel = requireWeight(layer, 'kernel');
  const [inUnits, units] = kernel.shape;
  const weights = Float32Array.from(kernel.values);
  let bias: ArrayLike<number> | undefined = config.useBias ? readWeight(layer, 'bias')?.values : undefined;
  if (c.foldedBatchNorm) bias = foldBatchNormIntoKernel(weights, bias, c.foldedBatchNorm, 'inner');
  const inputs = [input.name, graph.addFloatInitializer(`${layer.name}/kernel`, [inUnits, units], weights)];
  if (bias) inputs.push(graph.addFloatInitializer(`${layer.name}/bias`, [units], bias));
  const hasActivation = (config.activation ?? 'linear') !== 'linear';
  const gemm = graph.addNode('Gemm', inputs, hasActivation ? `${c.outputName}/logits` : c.outputName);
  return emitActivation(graph, config.activation, { name: gemm, shape: c.outputShape }, c.outputName, layer.name);
}
