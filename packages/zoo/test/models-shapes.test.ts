import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listModels } from '../src/index';
import { withModel } from './models-helpers';

const FEATURES: Record<string, number> = {
  resnet18: 512,
  resnet34: 512,
  resnet50: 2048,
  resnet101: 2048,
  resnet152: 2048,
  resnet50v2: 2048,
  resnet101v2: 2048,
  resnet152v2: 2048,
  'resnet18.tv_in1k': 512,
  'resnet34.tv_in1k': 512,
  'resnet50.tv_in1k': 2048,
  'resnet101.tv_in1k': 2048,
  'resnet152.tv_in1k': 2048,
  'resnet50.tv2_in1k': 2048,
  'resnet101.tv2_in1k': 2048,
  'resnet152.tv2_in1k': 2048,
};

describe('output shapes at small inputs', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('covers every registered variant', () => {
    expect(listModels()).toEqual(Object.keys(FEATURES));
  });

  it.each(Object.keys(FEATURES))('%s at 32x32 with the top outputs [batch, classes]', async (name) => {
    await withModel(name, { inputShape: [32, 32, 3], classes: 7 }, (model) => {
      expect(model.outputs[0].shape).toEqual([null, 7]);
      expect(model.inputs[0].shape).toEqual([null, 32, 32, 3]);
    });
  });

  it.each(Object.entries(FEATURES))('%s at 64x48 without the top outputs the stride-32 feature map', async (name, channels) => {
    await withModel(name, { inputShape: [64, 48, 3], includeTop: false }, (model) => {
      expect(model.outputs[0].shape).toEqual([null, 2, 2, channels]);
    });
  });

  it.each([
    ['resnet18', 'avg', 'avg_pool'],
    ['resnet18', 'max', 'max_pool'],
    ['resnet50', 'avg', 'avg_pool'],
    ['resnet50', 'max', 'max_pool'],
    ['resnet50v2', 'avg', 'avg_pool'],
    ['resnet50v2', 'max', 'max_pool'],
  ] as const)('%s without the top pools with %s into %s', async (name, pooling, layer) => {
    await withModel(name, { inputShape: [32, 32, 3], includeTop: false, pooling }, (model) => {
      expect(model.outputs[0].shape).toEqual([null, FEATURES[name]]);
      expect(model.layers[model.layers.length - 1].name).toBe(layer);
    });
  });

  it('ignores pooling when the top is included, as Keras', async () => {
    await withModel('resnet18', { inputShape: [32, 32, 3], pooling: 'max', classes: 3 }, (model) => {
      expect(model.layers.slice(-2).map((l) => l.name)).toEqual(['avg_pool', 'predictions']);
      expect(model.outputs[0].shape).toEqual([null, 3]);
    });
  });

  it('accepts non-RGB inputs without weights', async () => {
    await withModel('resnet18', { inputShape: [32, 32, 1], includeTop: false, pooling: 'avg' }, (model) => {
      expect(model.getLayer('conv1_conv').countParams()).toBe(7 * 7 * 1 * 64);
    });
  });
});
