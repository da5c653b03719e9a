import { OnnxExportError } from '../../errors';
import { emitActivation } from '../activation';
import type { LayerConversion, OnnxValue } from '../context';
import { nhwcAxisToNchw } from '../layout';

/** Add of two or more inputs (a residual merge): Add for two, Sum for more. */
export function convertAdd(c: LayerConversion): OnnxValue {
  const names = c.inputs.map((input) => input.name);
  const output = c.graph.addNode(names.length === 2 ? 'Add' : 'Sum', names, c.outputName);
  return { name: output, shape: c.outputShape };
}

/** Activation layer (`activation: 'relu'`, ...). */
export function convertActivation(c: LayerConversion): OnnxValue {
  const output = emitActivation(c.graph, c.config.activation, c.inputs[0], c.outputName, c.layer.name);
  return output === c.inputs[0] ? identity(c) : output;
}

/** ReLU layer; a `maxValue` (ReLU6 and the like) becomes Clip. */
export function convertReLU(c: LayerConversion): OnnxValue {
  const { maxValue } = c.config;
  const input = c.inputs[0].name;
  if (maxValue == null) return { name: c.graph.addNode('Relu', [input], c.outputName), shape: c.outputShape };
  const min = c.graph.addFloatInitializer(`${c.layer.name}/min`, [], [0]);
  const max = c.graph.addFloatInitializer(`${c.layer.name}/max`, [], [Number(maxValue)]);
  return { name: c.graph.addNode('Clip', [input, min, max], c.outputName), shape: c.outputShape };
}

/** Softmax layer over one axis. */
export function convertSoftmax(c: LayerConversion): OnnxValue {
  const axisConfig = c.config.axis ?? -1;
  if (Array.isArray(axisConfig) && axisConfig.length !== 1) {
    throw new OnnxExportError(`Layer '${c.layer.name}' (Softmax): softmax over several axes (${axisConfig.join(', ')}) has no ONNX op`);
  }
  const axis = Number(Array.isArray(axisConfig) ? axisConfig[0] : axisConfig);
  const output = c.graph.addNode('Softmax', [c.inputs[0].name], c.outputName, { axis: nhwcAxisToNchw(axis, c.inputs[0].shape.length) });
  return { name: output, shape: c.outputShape };
}

/** Rescaling (x * scale + offset), the keras preprocessing layer. */
export function convertRescaling(c: LayerConversion): OnnxValue {
  const scale = c.graph.addFloatInitializer(`${c.layer.name}/scale`, [], [Number(c.config.scale)]);
  const offset = c.graph.addFloatInitializer(`${c.layer.name}/offset`, [], [Number(c.config.offset ?? 0)]);
  const scaled = c.graph.addNode('Mul', [c.inputs[0].name, scale], `${c.outputName}/scaled`);
  return { name: c.graph.addNode('Add', [scaled, offset], c.outputName), shape: c.outputShape };
}

/** Layers that do nothing at inference (Dropout and its kin): an Identity keeps names stable. */
export function identity(c: LayerConversion): OnnxValue {
  return { name: c.graph.addNode('Identity', [c.inputs[0].name], c.outputName), shape: c.outputShape };
}
