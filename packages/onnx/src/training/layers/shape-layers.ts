import { NCHW_TO_NHWC, NHWC_TO_NCHW } from '../../convert/layout';
import { normalizePadding } from '../../convert/layers/zero-padding';
import { layerError, type LayerTrainer } from '../context';

/**
 * ZeroPadding2D: Pad forward, Slice backward. Before a MaxPool the pad value is -0.0, as in the
 * exporter (convert/layers/zero-padding.ts): onnxruntime would otherwise fuse the Pad into the
 * MaxPool, whose padding means -inf, not 0.
 */
export const trainZeroPadding2D: LayerTrainer = (c) => {
  const { ops } = c;
  if (c.config.dataFormat === 'channelsFirst') layerError(c, 'dataFormat channelsFirst is not supported');
  const [[top, bottom], [left, right]] = normalizePadding(c.config.padding);
  const input = c.inputs[0];
  const inputs = [input.name, ops.ints([0, 0, top, left, 0, 0, bottom, right])];
  if (c.consumerClasses.includes('MaxPooling2D')) inputs.push(ops.scalar(-0));
  const y = ops.node('Pad', inputs, c.outputName, { mode: 'constant' });
  const [, height, width] = input.shape as number[];
  return {
    output: { name: y, shape: c.outputShape },
    backward: (b) => [b.inputNeedsGradient[0] ? ops.slice(b.dy, [top, left], [top + height, left + width], [2, 3], `${c.layer.name}/input_grad`) : undefined],
  };
};

/** Flatten in keras order (NHWC), as the exporter does; backward reshapes (and transposes) back. */
export const trainFlatten: LayerTrainer = (c) => {
  const { ops } = c;
  const input = c.inputs[0];
  const name = c.layer.name;
  if (input.shape.length !== 4) {
    const y = ops.node('Flatten', [input.name], c.outputName, { axis: 1 });
    const dims = input.shape.slice(1).map(Number);
    return { output: { name: y, shape: c.outputShape }, backward: (b) => [b.inputNeedsGradient[0] ? ops.reshape(b.dy, [-1, ...dims], `${name}/input_grad`) : undefined] };
  }
  const [, height, width, channels] = input.shape as number[];
  const spatialIsOne = height === 1 && width === 1;
  const source = spatialIsOne ? input.name : ops.transpose(input.name, NCHW_TO_NHWC, `${c.outputName}/nhwc`);
  const y = ops.node('Flatten', [source], c.outputName, { axis: 1 });
  return {
    output: { name: y, shape: c.outputShape },
    backward: (b) => {
      if (!b.inputNeedsGradient[0]) return [undefined];
      if (spatialIsOne) return [ops.reshape(b.dy, [-1, channels, 1, 1], `${name}/input_grad`)];
      return [ops.transpose(ops.reshape(b.dy, [-1, height, width, channels], `${name}/dy_nhwc`), NHWC_TO_NCHW, `${name}/input_grad`)];
    },
  };
};

/**
 * Dropout and its kin: identity only when they do nothing (rate or stddev 0). In training they
 * draw random masks, which this graph does not reproduce, so a non-zero rate is refused.
 */
export const trainInactiveNoise: LayerTrainer = (c) => {
  const amount = Number(c.config.rate ?? c.config.stddev ?? 0);
  if (amount !== 0) {
    const setting = c.config.rate != null ? `rate ${amount}` : `stddev ${amount}`;
    layerError(c, `${setting} draws random masks in training, which the ONNX training graph does not reproduce; set it to 0 or train with the tfjs engine`);
  }
  const y = c.ops.node('Identity', [c.inputs[0].name], c.outputName);
  return { output: { name: y, shape: c.outputShape }, backward: (b) => [b.inputNeedsGradient[0] ? b.dy : undefined] };
};
