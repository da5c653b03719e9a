import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';

/** Dense on a rank-2 input: Gemm forward; dK = Gemm(x, dz, transA), dx = Gemm(dz, K, transB), db = ReduceSum. */
export const trainDense: LayerTrainer = (c) => {
  const { ops } = c;
  const input = c.inputs[0];
  if (input.shape.length !== 2) layerError(c, `input has rank ${input.shape.length}; only rank-2 inputs train (add Flatten or global pooling before it)`);
  const kernel = c.weight('kernel') ?? layerError(c, 'has no kernel; was the model built?');
  const bias = c.config.useBias ? c.weight('bias') : undefined;
  const name = c.layer.name;
  const hasActivation = (c.config.activation ?? 'linear') !== 'linear';
  const gemmInputs = [input.name, kernel.name];
  if (bias) gemmInputs.push(bias.name);
  const gemm = ops.node('Gemm', gemmInputs, hasActivation ? `${c.outputName}/logits` : c.outputName);
  const activation = trainActivation(ops, c.config.activation, { name: gemm, shape: c.outputShape }, c.outputName, name);
  return {
    output: activation.output,
    backward: (b) => {
      const dz = activation.backward(b.dy);
      if (kernel.trainable) b.setGradient(kernel, ops.node('Gemm', [input.name, dz], `${name}/kernel_grad`, { transA: 1 }));
      if (bias?.trainable) b.setGradient(bias, ops.reduceSum(dz, [0], false, `${name}/bias_grad`));
      if (!b.inputNeedsGradient[0]) return [undefined];
      return [ops.node('Gemm', [dz, kernel.name], `${name}/input_grad`, { transB: 1 })];
    },
  };
};
