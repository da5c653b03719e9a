import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bottleneckBlock, bottleneckStack } from '../src/index';
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
});
