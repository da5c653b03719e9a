import { OnnxExportError } from '../../errors';
import type { LayerConversion, OnnxValue } from '../context';
import { windowPaddingAttributes } from '../layout';

/**
 * MaxPooling2D / AveragePooling2D. TF's `same` average excludes the padded cells, which is ONNX's
 * default (`count_include_pad = 0`); MaxPool never reads padding.
 */
export function convertPooling2D(c: LayerConversion): OnnxValue {
  const { config, layer } = c;
  if (config.dataFormat === 'channelsFirst') {
    throw new OnnxExportError(`Layer '${layer.name}' (${c.className}): dataFormat channelsFirst is not supported`);
  }
  const op = c.className === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool';
  const kernel: number[] = config.poolSize;
  const strides: number[] = config.strides ?? kernel;
  const input = c.inputs[0];
  const output = c.graph.addNode(op, [input.name], c.outputName, {
    kernel_shape: kernel,
    strides,
    ...windowPaddingAttributes(config.padding, input.shape.slice(1, 3), kernel, strides),
  });
  return { name: output, shape: c.outputShape };
}

/** GlobalAveragePooling2D / GlobalMaxPooling2D: the ONNX global op, then Flatten to [N, C] as keras. */
export function convertGlobalPooling2D(c: LayerConversion): OnnxValue {
  if (c.config.dataFormat === 'channelsFirst') {
    throw new OnnxExportError(`Layer '${c.layer.name}' (${c.className}): dataFormat channelsFirst is not supported`);
  }
  const op = c.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool';
  const pooled = c.graph.addNode(op, [c.inputs[0].name], `${c.outputName}/pool`);
  const output = c.graph.addNode('Flatten', [pooled], c.outputName, { axis: 1 });
  return { name: output, shape: c.outputShape };
}
