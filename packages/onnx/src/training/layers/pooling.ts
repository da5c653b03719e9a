import { windowPads } from '../../convert/layout';
import { layerError, type LayerTrainer } from '../context';

/**
 * MaxPooling2D: MaxPool with its Indices output (flat positions in the NCHW input); the backward
 * scatters dy onto those positions with ScatterElements(reduction = add), since overlapping windows
 * (3x3 stride 2) can pick the same input twice.
 */
export const trainMaxPooling2D: LayerTrainer = (c) => {
  const { ops, config } = c;
  if (config.dataFormat === 'channelsFirst') layerError(c, 'dataFormat channelsFirst is not supported');
  const kernel: number[] = config.poolSize;
  const strides: number[] = config.strides ?? kernel;
  const input = c.inputs[0];
  const pads = windowPads(config.padding, input.shape.slice(1, 3), kernel, strides) ?? layerError(c, 'needs a fixed input height and width');
  const name = c.layer.name;
  const [y, indices] = ops.graph.addMultiOutputNode('MaxPool', [input.name], [c.outputName, `${name}/indices`], { kernel_shape: kernel, strides, pads });
  return {
    output: { name: y, shape: c.outputShape },
    backward: (b) => {
      if (!b.inputNeedsGradient[0]) return [undefined];
      const shape = ops.node('Shape', [input.name], `${name}/input_shape`);
      const zeros = ops.reshape(ops.node('ConstantOfShape', [shape], `${name}/zeros`), [-1], `${name}/zeros_flat`);
      const flatIndices = ops.reshape(indices, [-1], `${name}/indices_flat`);
      const flatDy = ops.reshape(b.dy, [-1], `${name}/dy_flat`);
      const scattered = ops.node('ScatterElements', [zeros, flatIndices, flatDy], `${name}/scattered`, { axis: 0, reduction: 'add' });
      return [ops.node('Reshape', [scattered, shape], `${name}/input_grad`)];
    },
  };
};

/** GlobalAveragePooling2D: GlobalAveragePool + Flatten; backward spreads dy / (H*W) over each window. */
export const trainGlobalAveragePooling2D: LayerTrainer = (c) => {
  const { ops } = c;
  if (c.config.dataFormat === 'channelsFirst') layerError(c, 'dataFormat channelsFirst is not supported');
  const input = c.inputs[0];
  const [, height, width, channels] = input.shape as number[];
  const name = c.layer.name;
  const pooled = ops.node('GlobalAveragePool', [input.name], `${c.outputName}/pool`);
  const keepDims = c.outputShape.length === 4;
  const y = keepDims ? pooled : ops.node('Flatten', [pooled], c.outputName, { axis: 1 });
  return {
    output: { name: y, shape: c.outputShape },
    backward: (b) => {
      if (!b.inputNeedsGradient[0]) return [undefined];
      const dy = keepDims ? b.dy : ops.reshape(b.dy, [-1, channels, 1, 1], `${name}/dy_4d`);
      const scaled = ops.mul(dy, ops.scalar(1 / (height * width)), `${name}/dy_scaled`);
      return [ops.node('Expand', [scaled, ops.node('Shape', [input.name], `${name}/input_shape`)], `${name}/input_grad`)];
    },
  };
};
