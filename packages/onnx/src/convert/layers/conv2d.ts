import { emitActivation } from '../activation';
import type { LayerConversion, OnnxValue } from '../context';
import { windowPaddingAttributes } from '../layout';
import { requireWeight, readWeight } from '../weights';
import { foldBatchNormIntoKernel } from '../batch-norm-folding';
import { OnnxExportError } from '../../errors';

/** Conv2D: keras kernel [kh, kw, in, out] (HWIO) becomes ONNX weight [out, in, kh, kw] (OIHW). */
export function convertConv2D(c: LayerConversion): OnnxValue {
  const { config, layer, graph } = c;
  if (config.dataFormat === 'channelsFirst') {
    throw new OnnxExportError(`Layer '${layer.name}' (Conv2D): dataFormat channelsFirst is not supported; build the model channelsLast`);
  }
  const kernel = requireWeight(layer, 'kernel');
  const [kh, kw, inChannels, outChannels] = kernel.shape;
  const weights = hwioToOihw(kernel.values, kh, kw, inChannels, outChannels);
  let bias: Float32Array | Float64Array | undefined = config.useBias ? readWeight(layer, 'bias')?.values : undefined;
  if (c.foldedBatchNorm) {
    bias = foldBatchNormIntoKernel(weights, bias, c.foldedBatchNorm, 'outer');
  }
  const strides: number[] = config.strides;
  const dilations: number[] = config.dilationRate ?? [1, 1];
  const input = c.inputs[0];
  const inputs = [input.name, graph.addFloatInitializer(`${layer.name}/kernel`, [outChannels, inChannels, kh, kw], weights)];
  if (bias) inputs.push(graph.addFloatInitializer(`${layer.name}/bias`, [outChannels], bias));
  const hasActivation = (config.activation ?? 'linear') !== 'linear';
  const conv = graph.addNode('Conv', inputs, hasActivation ? `${c.outputName}/conv` : c.outputName, {
    kernel_shape: [kh, kw],
    strides,
    dilations,
    group: 1,
    ...windowPaddingAttributes(config.padding, input.shape.slice(1, 3), [kh, kw], strides, dilations),
  });
  return emitActivation(graph, config.activation, { name: conv, shape: c.outputShape }, c.outputName, layer.name);
}

function hwioToOihw(hwio: Float32Array, kh: number, kw: number, inC: number, outC: number): Float32Array {
  const oihw = new Float32Array(hwio.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < inC; i++) {
        const src = ((y * kw + x) * inC + i) * outC;
        for (let o = 0; o < outC; o++) oihw[((o * inC + i) * kh + y) * kw + x] = hwio[src + o];
      }
    }
  }
  return oihw;
}
