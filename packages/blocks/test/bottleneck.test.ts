import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bottleneckBlock, bottleneckStack, TORCH_BN_EPSILON } from '../src/index';
import { layerNames, withModel } from './helpers';

describe('v1 bottleneck block', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('builds the convolutional block with a projection shortcut, named as Keras', () => {
    withModel([8, 8, 64], (x) => bottleneckBlock(x, 64, { stride: 1, name: 'conv2_block1' }), (model) => {
      expect(new Set(layerNames(model))).toEqual(
        new Set(
          ['0_conv', '0_bn', '1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu', '3_conv', '3_bn', 'add', 'out'].map(
            (suffix) => `conv2_block1_${suffix}`,
          ),
        ),
      );
      expect(model.outputs[0].shape).toEqual([null, 8, 8, 256]);
      // Keras conv2_block1 of ResNet50: 16640 + 4160 + 36928 + 16640 conv params, BN 4 x channels.
      expect(model.countParams()).toBe(16640 + 1024 + 4160 + 256 + 36928 + 256 + 16640 + 1024);
    });
  });

  it('strides the first 1x1 convolution and the projection (Caffe style)', () => {
    withModel([8, 8, 256], (x) => bottleneckBlock(x, 128, { stride: 2, name: 'conv3_block1' }), (model) => {
      expect(model.getLayer('conv3_block1_1_conv').getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('conv3_block1_0_conv').getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('conv3_block1_2_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 512]);
    });
  });

  it('keeps the identity shortcut without convShortcut (the identity block)', () => {
    withModel([4, 4, 256], (x) => bottleneckBlock(x, 64, { convShortcut: false, name: 'conv2_block2' }), (model) => {
      const names = layerNames(model);
      expect(names).not.toContain('conv2_block2_0_conv');
      expect(names).toHaveLength(10);
      expect(model.getLayer('conv2_block2_add').inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual([
        model.layers[0].name,
        'conv2_block2_3_bn',
      ]);
    });
  });

  it('stacks one projecting block and identity blocks', () => {
    withModel([8, 8, 64], (x) => bottleneckStack(x, 64, 3, { stride1: 1, name: 'conv2' }), (model) => {
      const blocks = new Set(layerNames(model).map((n) => n.split('_').slice(0, 2).join('_')));
      expect(blocks).toEqual(new Set(['conv2_block1', 'conv2_block2', 'conv2_block3']));
      expect(layerNames(model)).toHaveLength(12 + 10 + 10);
      expect(model.outputs[0].shape).toEqual([null, 8, 8, 256]);
    });
  });
  it('strides the 3x3 convolution instead with strideAt 3x3 (torchvision v1.5), without biases', () => {
    const build = (x: tf.SymbolicTensor) =>
      bottleneckBlock(x, 128, { stride: 2, name: 'conv3_block1', strideAt: '3x3', useBias: false, bnEpsilon: TORCH_BN_EPSILON });
    withModel([8, 8, 256], build, (model) => {
      expect(model.getLayer('conv3_block1_1_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer('conv3_block1_2_conv').getConfig()).toMatchObject({ strides: [2, 2], padding: 'valid' });
      expect(model.getLayer('conv3_block1_2_pad').getConfig().padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(model.getLayer('conv3_block1_0_conv').getConfig().strides).toEqual([2, 2]);
      for (const layer of model.layers.filter((l) => l.getClassName() === 'Conv2D')) {
        expect(layer.getConfig().useBias, layer.name).toBe(false);
      }
      for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
        expect(layer.getConfig().epsilon, layer.name).toBe(TORCH_BN_EPSILON);
      }
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 512]);
    });
  });

  it('samples the strided 3x3 window of a v1.5 block centred as torchvision (padding 1 on every side)', () => {
    withModel([4, 4, 1], (x) => bottleneckBlock(x, 1, { stride: 2, name: 'conv3_block1', strideAt: '3x3', useBias: false }), (model) => {
      const conv = model.getLayer('conv3_block1_2_conv');
      // The top-left tap: torchvision's padding reads the zero border at output (0, 0) and input
      // (1, 1) at output (1, 1); 'same' padding would read inputs (0, 0) and (2, 2). The 1x1
      // convolution before it passes the image through (kernel 1, fresh BN, ReLU of positives).
      const [one, kernel] = [tf.ones([1, 1, 1, 1]), tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3, 1, 1])];
      model.getLayer('conv3_block1_1_conv').setWeights([one]);
      conv.setWeights([kernel]);
      tf.dispose([one, kernel]);
      const probe = tf.model({ inputs: model.inputs, outputs: conv.output as tf.SymbolicTensor });
      const result = tf.tidy(() => (probe.predict(tf.range(1, 17).reshape([1, 4, 4, 1])) as tf.Tensor).arraySync() as number[][][][]);
      const pixels = result[0].flatMap((row) => row.map((pixel) => pixel[0]));
      [0, 0, 0, 6].forEach((want, i) => expect(pixels[i]).toBeCloseTo(want, 3));
    });
  });

  it('passes the v1.5 style on to every block of a stack', () => {
    const build = (x: tf.SymbolicTensor) => bottleneckStack(x, 64, 2, { stride1: 2, name: 'conv3', strideAt: '3x3', useBias: false, bnEpsilon: TORCH_BN_EPSILON });
    withModel([8, 8, 64], build, (model) => {
      expect(model.getLayer('conv3_block1_2_conv').getConfig().strides).toEqual([2, 2]);
      expect(model.getLayer('conv3_block2_1_conv').getConfig().useBias).toBe(false);
      expect(model.getLayer('conv3_block2_3_bn').getConfig().epsilon).toBe(TORCH_BN_EPSILON);
    });
  });
});
