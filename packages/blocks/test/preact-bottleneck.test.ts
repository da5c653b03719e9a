import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postActivation, preactBottleneckBlock, preactBottleneckStack } from '../src/index';
import { layerNames, withModel } from './helpers';

describe('v2 pre-activation bottleneck block', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pre-activates, projects the pre-activation and ends in an add named _out', () => {
    withModel([8, 8, 64], (x) => preactBottleneckBlock(x, 64, { convShortcut: true, name: 'conv2_block1' }), (model) => {
      expect(new Set(layerNames(model))).toEqual(
        new Set(
          ['preact_bn', 'preact_relu', '0_conv', '1_conv', '1_bn', '1_relu', '2_pad', '2_conv', '2_bn', '2_relu', '3_conv', 'out'].map(
            (suffix) => `conv2_block1_${suffix}`,
          ),
        ),
      );
      expect(model.getLayer('conv2_block1_0_conv').inboundNodes[0].inboundLayers[0].name).toBe('conv2_block1_preact_relu');
      expect(model.getLayer('conv2_block1_out').getClassName()).toBe('Add');
      // Keras ResNet50V2 conv2_block1: _1_conv and _2_conv have no bias, _0_conv and _3_conv do.
      expect(model.getLayer('conv2_block1_1_conv').countParams()).toBe(64 * 64);
      expect(model.getLayer('conv2_block1_2_conv').countParams()).toBe(9 * 64 * 64);
      expect(model.getLayer('conv2_block1_3_conv').countParams()).toBe(64 * 256 + 256);
      expect(model.outputs[0].shape).toEqual([null, 8, 8, 256]);
    });
  });

  it('subsamples the identity shortcut with a 1x1 max pool when strided', () => {
    withModel([8, 8, 256], (x) => preactBottleneckBlock(x, 64, { stride: 2, name: 'conv2_block3' }), (model) => {
      const pool = model.getLayer('conv2_block3_0_pool');
      expect(pool.getClassName()).toBe('MaxPooling2D');
      expect(pool.inboundNodes[0].inboundLayers[0].name).toBe(model.layers[0].name);
      expect(model.getLayer('conv2_block3_2_conv').getConfig().strides).toEqual([2, 2]);
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 256]);
    });
  });

  it('puts the stride on the last block of a stage', () => {
    withModel([8, 8, 64], (x) => postActivation(preactBottleneckStack(x, 64, 3, { name: 'conv2' })), (model) => {
      expect(model.getLayer('conv2_block1_2_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer('conv2_block2_2_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer('conv2_block3_2_conv').getConfig().strides).toEqual([2, 2]);
      expect(layerNames(model).slice(-2)).toEqual(['post_bn', 'post_relu']);
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 256]);
    });
  });
});
