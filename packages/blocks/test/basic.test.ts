import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basicBlock, basicStack } from '../src/index';
import { layerNames, withModel } from './helpers';

describe('basic block (ResNet18/34)', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the identity shortcut when the shape does not change', () => {
    withModel([8, 8, 64], (x) => basicBlock(x, 64, { name: 'conv2_block1' }), (model) => {
      expect(layerNames(model)).toEqual(
        ['1_conv', '1_bn', '1_relu', '2_conv', '2_bn', 'add', 'out'].map((suffix) => `conv2_block1_${suffix}`),
      );
      // torchvision BasicBlock(64, 64): two bias-free 3x3 convs and two BNs (gamma, beta trainable).
      const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, d) => a * (d ?? 1), 1), 0);
      expect(trainable).toBe(2 * 9 * 64 * 64 + 2 * 2 * 64);
    });
  });

  it('projects with a bias-free 1x1 conv + BN and pads symmetrically when strided', () => {
    withModel([8, 8, 64], (x) => basicBlock(x, 128, { stride: 2, name: 'conv3_block1' }), (model) => {
      const names = layerNames(model);
      expect(names).toContain('conv3_block1_0_conv');
      expect(names).toContain('conv3_block1_0_bn');
      expect(model.getLayer('conv3_block1_0_conv').countParams()).toBe(64 * 128);
      expect(model.getLayer('conv3_block1_1_pad').getConfig().padding).toEqual([
        [1, 1],
        [1, 1],
      ]);
      expect(model.getLayer('conv3_block1_1_conv').getConfig().padding).toBe('valid');
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 128]);
    });
  });

  it('samples a strided 3x3 window centred as torchvision (padding 1 on every side)', () => {
    withModel([4, 4, 1], (x) => basicBlock(x, 1, { stride: 2, name: 'conv3_block1' }), (model) => {
      const conv = model.getLayer('conv3_block1_1_conv');
      // A kernel that copies the top-left tap: with torchvision's padding it reads the zero border
      // at output (0, 0) and input (1, 1) at output (1, 1); 'same' padding would read (0, 0) and (2, 2).
      const kernel = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3, 1, 1]);
      conv.setWeights([kernel]);
      kernel.dispose();
      const probe = tf.model({ inputs: model.inputs, outputs: conv.output as tf.SymbolicTensor });
      const result = tf.tidy(() => {
        const image = tf.range(1, 17).reshape([1, 4, 4, 1]);
        return (probe.predict(image) as tf.Tensor).arraySync() as number[][][][];
      });
      expect(result[0].map((row) => row.map((pixel) => pixel[0]))).toEqual([
        [0, 0],
        [0, 6],
      ]);
    });
  });

  it('projects when only the channel count changes', () => {
    withModel([8, 8, 32], (x) => basicBlock(x, 64, { name: 'conv2_block1' }), (model) => {
      expect(layerNames(model)).toContain('conv2_block1_0_conv');
    });
  });

  it('stacks blocks with the stride on the first', () => {
    withModel([8, 8, 64], (x) => basicStack(x, 128, 2, { name: 'conv3' }), (model) => {
      expect(model.getLayer('conv3_block1_1_conv').getConfig().strides).toEqual([2, 2]);
      expect(layerNames(model).filter((n) => n.startsWith('conv3_block2'))).toHaveLength(7);
      expect(model.outputs[0].shape).toEqual([null, 4, 4, 128]);
    });
  });
});
