import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sizeOf, withModel } from './models-helpers';

// Counts from Keras applications (`model.count_params()`) and torchvision (`sum(p.numel())`).
describe('parameter counts match Keras and torchvision', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('resnet50 at 224x224x3/1000 has 25,636,712 parameters, 25,583,592 trainable', async () => {
    await withModel('resnet50', {}, (model) => {
      expect(model.countParams()).toBe(25_636_712);
      expect(sizeOf(model.trainableWeights)).toBe(25_583_592);
      expect(sizeOf(model.nonTrainableWeights)).toBe(53_120);
    });
  });

  it('resnet50 at 64x64x3 with 10 classes has 23,608,202 parameters', async () => {
    await withModel('resnet50', { inputShape: [64, 64, 3], classes: 10 }, (model) => {
      expect(model.countParams()).toBe(23_608_202);
    });
  });

  it.each([
    ['resnet101', 44_707_176],
    ['resnet152', 60_419_944],
    ['resnet50v2', 25_613_800],
    ['resnet101v2', 44_675_560],
    ['resnet152v2', 60_380_648],
  ])('%s at 224x224x3/1000 has %i parameters', async (name, total) => {
    await withModel(name, {}, (model) => {
      expect(model.countParams()).toBe(total);
    });
  });

  it.each([
    ['resnet18', 11_689_512],
    ['resnet34', 21_797_672],
    ['resnet18.tv_in1k', 11_689_512],
    ['resnet34.tv_in1k', 21_797_672],
    ['resnet50.tv_in1k', 25_557_032],
    ['resnet101.tv_in1k', 44_549_160],
    ['resnet152.tv_in1k', 60_192_808],
  ])('%s at 224x224x3/1000 has %i trainable parameters (torchvision)', async (name, trainable) => {
    await withModel(name, {}, (model) => {
      expect(sizeOf(model.trainableWeights)).toBe(trainable);
    });
  });
});
