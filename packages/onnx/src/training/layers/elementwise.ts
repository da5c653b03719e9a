import { trainActivation } from '../activation';
import { layerError, type LayerTrainer } from '../context';

/** Add (a residual merge): each input's gradient is dy. */
export const trainAdd: LayerTrainer = (c) => {
  const names = c.inputs.map((input) => input.name);
  const output = names.length === 1 ? c.ops.node('Identity', names, c.outputName) : c.ops.sum(names, c.outputName);
  return { output: { name: output, shape: c.outputShape }, backward: (b) => b.inputNeedsGradient.map((needed) => (needed ? b.dy : undefined)) };
};

/** Activation layer (relu, softmax, linear). */
export const trainActivationLayer: LayerTrainer = (c) => {
  const activation = trainActivation(c.ops, c.config.activation, c.inputs[0], c.outputName, c.layer.name);
  return { output: activation.output, backward: (b) => [b.inputNeedsGradient[0] ? activation.backward(b.dy) : undefined] };
};

/** ReLU layer without a cap, slope or threshold (what the zoo builds). */
export const trainReLU: LayerTrainer = (c) => {
  if (c.config.maxValue != null) layerError(c, `maxValue ${c.config.maxValue} is not supported in the training graph`);
  return trainActivationLayer({ ...c, config: { activation: 'relu' } });
};
