import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModel, type ResNetOptions } from '../src/index';
import { randomizeWeights, withModel } from './models-helpers';

describe('model options', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the model after the variant unless a name is given', async () => {
    await withModel('resnet34', { inputShape: [32, 32, 3] }, (model) => expect(model.name).toBe('resnet34'));
    await withModel('resnet34', { inputShape: [32, 32, 3], name: 'signs_net' }, (model) => expect(model.name).toBe('signs_net'));
  });

  it('outputs logits with classifierActivation null and their softmax by default', async () => {
    const options: ResNetOptions = { inputShape: [32, 32, 3], classes: 5 };
    await withModel('resnet18', { ...options, classifierActivation: null }, async (logitsModel) => {
      expect(logitsModel.getLayer('predictions').getConfig().activation).toBe('linear');
      randomizeWeights(logitsModel, 5);
      await withModel('resnet18', options, (softmaxModel) => {
        softmaxModel.setWeights(logitsModel.getWeights());
        tf.tidy(() => {
          const images = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 7);
          const logits = logitsModel.predict(images) as tf.Tensor;
          const probs = softmaxModel.predict(images) as tf.Tensor;
          expect(tf.sum(probs, 1).arraySync() as number[]).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
          expect(tf.min(logits).arraySync()).toBeLessThan(0); // logits are not probabilities
          const diff = tf.max(tf.abs(tf.sub(tf.softmax(logits), probs))).arraySync() as number;
          expect(diff).toBeLessThan(1e-6);
        });
      });
    });
  });

  it.each<[string, ResNetOptions, RegExp]>([
    ['a 31-pixel input', { inputShape: [31, 64, 3] }, /resnet50: inputShape \[31,64,3\] is too small; height and width must be at least 32/],
    ['a 100000-pixel input', { inputShape: [100000, 100000, 3] }, /resnet50: inputShape \[100000,100000,3\] is too large; height and width must be at most 2048/],
    ['a million channels', { inputShape: [64, 64, 1_000_000] }, /resnet50: inputShape \[64,64,1000000\] has too many channels; at most 1024/],
    ['a 2D input shape', { inputShape: [64, 64] as unknown as [number, number, number] }, /inputShape must be \[height, width, channels\]/],
    ['a fractional dimension', { inputShape: [64.5, 64, 3] }, /positive integers/],
    ['zero classes', { classes: 0 }, /classes must be a positive integer, got 0/],
    ['an unknown pooling', { includeTop: false, pooling: 'sum' as 'avg' }, /pooling must be 'avg', 'max' or undefined, got "sum"/],
    ['an unknown activation', { classifierActivation: 'relu' as 'softmax' }, /classifierActivation must be 'softmax', 'sigmoid' or null/],
    ['grey inputs with weights', { inputShape: [64, 64, 1], weights: 'imagenet' }, /pretrained weights need 3 input channels, inputShape has 1/],
    ['imagenet weights with 10 classes', { classes: 10, weights: 'imagenet' }, /imagenet weights with includeTop need classes: 1000/],
    ['imagenet weights', { weights: 'imagenet' }, /resnet50: weights "imagenet" are not yet supported/],
    ['a weights file', { weights: 'model.h5', includeTop: false }, /weights "model.h5" are not yet supported/],
    ['a fractional seed', { seed: 1.5 }, /resnet50: seed must be an integer, got 1.5/],
  ])('rejects %s with a clear error', (_what, options, message) => {
    expect(() => createModel('resnet50', options)).toThrow(message);
  });

  it('builds nothing when the options are rejected', () => {
    expect(() => createModel('resnet152', { inputShape: [16, 16, 3] })).toThrow(/too small/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['resnet18', /^conv\d_block\d_2_bn$/, 8, 0],
    ['resnet50', /^conv\d_block\d_3_bn$/, 16, 0],
    ['resnet50v2', /^conv\d_block\d_3_conv$/, 16, 0],
  ] as const)('zeroInitResidual zeroes the last layer of every %s residual branch', async (name, lastLayer, blocks, index) => {
    await withModel(name, { inputShape: [32, 32, 3], classes: 3, zeroInitResidual: true }, async (zeroed) => {
      const last = zeroed.layers.filter((l) => lastLayer.test(l.name));
      expect(last).toHaveLength(blocks);
      for (const layer of last) expect(tf.tidy(() => tf.abs(layer.getWeights()[index]).max().dataSync()[0])).toBe(0);
      // Everything else keeps its usual initialisation, as without the option.
      const shortcut = zeroed.layers.find((l) => l.name === 'conv2_block1_0_bn' || l.name === 'conv2_block1_0_conv');
      if (shortcut) expect(tf.tidy(() => tf.abs(shortcut.getWeights()[0]).max().dataSync()[0])).toBeGreaterThan(0);
      await withModel(name, { inputShape: [32, 32, 3], classes: 3 }, (plain) => {
        expect(plain.countParams()).toBe(zeroed.countParams());
        const gamma = plain.layers.find((l) => lastLayer.test(l.name))!.getWeights()[index];
        expect(tf.tidy(() => tf.abs(gamma).max().dataSync()[0])).toBeGreaterThan(0);
      });
    });
  });
});
