import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createModel, getModelConfig, listModels, registerModel } from '../src/index';

describe('model registry', () => {
  it('lists the built-in variants and filters them by wildcard', () => {
    expect(listModels()).toEqual([
      'resnet18',
      'resnet34',
      'resnet50',
      'resnet101',
      'resnet152',
      'resnet50v2',
      'resnet101v2',
      'resnet152v2',
      'resnet18.tv_in1k',
      'resnet34.tv_in1k',
      'resnet50.tv_in1k',
      'resnet101.tv_in1k',
      'resnet152.tv_in1k',
      'resnet50.tv2_in1k',
      'resnet101.tv2_in1k',
      'resnet152.tv2_in1k',
    ]);
    expect(listModels('*v2')).toEqual(['resnet50v2', 'resnet101v2', 'resnet152v2']);
    expect(listModels('resnet1*v2')).toEqual(['resnet101v2', 'resnet152v2']);
    expect(listModels('*.tv_in1k')).toHaveLength(5);
    expect(listModels('vgg*')).toEqual([]);
  });

  it('gives each family the preprocessing Keras / torchvision weights expect', () => {
    const v1 = getModelConfig('resnet50');
    expect(v1.preprocessing).toEqual({ mode: 'caffe', channelOrder: 'bgr', mean: [103.939, 116.779, 123.68], std: [1, 1, 1] });
    expect(v1).toMatchObject({
      blockType: 'bottleneck',
      blocksPerStage: [3, 4, 6, 3],
      preact: false,
      useBias: true,
      inputSize: [224, 224, 3],
      numClasses: 1000,
      firstConv: 'conv1_conv',
      classifier: 'predictions',
    });
    expect(getModelConfig('resnet152v2')).toMatchObject({
      blockType: 'preact-bottleneck',
      blocksPerStage: [3, 8, 36, 3],
      preact: true,
      preprocessing: { mode: 'tf', mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
    });
    expect(getModelConfig('resnet34')).toMatchObject({
      blockType: 'basic',
      useBias: false,
      preprocessing: { mode: 'torch', channelOrder: 'rgb' },
    });
  });

  it("registers torchvision's ResNets under timm's names, each with torchvision's preprocessing", () => {
    for (const name of listModels('*.tv*_in1k')) {
      expect(getModelConfig(name), name).toMatchObject({
        useBias: false,
        bnEpsilon: 1e-5,
        interpolation: 'bilinear',
        preprocessing: { mode: 'torch', channelOrder: 'rgb', mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
      });
    }
    expect(getModelConfig('resnet50.tv_in1k')).toMatchObject({ blockType: 'bottleneck-v1.5', blocksPerStage: [3, 4, 6, 3], cropPct: 0.875 });
    expect(getModelConfig('resnet152.tv2_in1k')).toMatchObject({ blockType: 'bottleneck-v1.5', blocksPerStage: [3, 8, 36, 3], cropPct: 0.965 });
    expect(getModelConfig('resnet34.tv_in1k')).toMatchObject({ blockType: 'basic', blocksPerStage: [3, 4, 6, 3] });
  });

  it('builds resnet50.tv_in1k as torchvision: stride on the 3x3, no conv biases, BN epsilon 1e-5', () => {
    const before = tf.memory().numTensors;
    const model = createModel('resnet50.tv_in1k', { inputShape: [64, 64, 3], classes: 3 });
    try {
      expect(model.name).toBe('resnet50.tv_in1k');
      expect(model.getLayer('conv3_block1_1_conv').getConfig().strides).toEqual([1, 1]);
      expect(model.getLayer('conv3_block1_2_conv').getConfig().strides).toEqual([2, 2]);
      const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
      expect(convs.filter((l) => l.getConfig().useBias)).toEqual([]);
      const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
      expect(new Set(norms.map((l) => l.getConfig().epsilon))).toEqual(new Set([1e-5]));
      expect(model.getLayer('conv5_block3_out').outputShape).toEqual([null, 2, 2, 2048]);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('returns copies that callers cannot use to change the registry', () => {
    const config = getModelConfig('resnet50');
    (config.blocksPerStage as number[])[2] = 99;
    expect(getModelConfig('resnet50').blocksPerStage).toEqual([3, 4, 6, 3]);
  });

  it('names the available models when a name is unknown', () => {
    const message = /Unknown model "resnet51"; available models: resnet18, resnet34, resnet50, resnet101/;
    expect(() => createModel('resnet51')).toThrow(message);
    expect(() => getModelConfig('resnet51')).toThrow(message);
  });

  it('adds ResNet200 (Keras-style v2, 3-24-36-3) with one registration', () => {
    registerModel({ ...getModelConfig('resnet152v2'), name: 'resnet200v2', blocksPerStage: [3, 24, 36, 3] });
    expect(listModels()).toContain('resnet200v2');
    const before = tf.memory().numTensors;
    const model = createModel('resnet200v2', { inputShape: [32, 32, 3], includeTop: false });
    try {
      expect(model.name).toBe('resnet200v2');
      // v2 strides the last block of a stage: 32 -> stem 8 -> conv2 4 -> conv3 2.
      expect(model.getLayer('conv3_block24_out').outputShape).toEqual([null, 2, 2, 512]);
      expect(model.outputs[0].shape).toEqual([null, 1, 1, 2048]);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses duplicate and malformed registrations', () => {
    expect(() => registerModel(getModelConfig('resnet50'))).toThrow(/"resnet50" is already registered; pass \{ overwrite: true \}/);
    expect(() => registerModel({ ...getModelConfig('resnet50'), name: 'resnet3stage', blocksPerStage: [3, 4, 6] })).toThrow(
      /blocksPerStage must give 4 positive integers \(stages conv2..conv5\), got \[3,4,6\]/,
    );
    expect(() => registerModel({ ...getModelConfig('resnet50v2'), name: 'tinyv2', blocksPerStage: [1, 1, 1, 1] })).toThrow(
      /pre-activation stages need at least 2 blocks/,
    );
    expect(listModels()).not.toContain('resnet3stage');
    registerModel({ ...getModelConfig('resnet50'), classifier: 'fc' }, { overwrite: true });
    expect(getModelConfig('resnet50').classifier).toBe('fc');
  });
});
