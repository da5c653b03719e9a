import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, decays } from '../src/index';

describe('decays (the weight-decay policy)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  let model: tf.LayersModel;
  afterAll(() => model?.dispose());

  it('decays the kernels of a ResNet and none of its biases or BatchNorm weights', () => {
    model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 3 });
    const decayed = model.weights.filter(decays).map((w) => w.originalName);
    const kept = model.weights.filter((w) => !decays(w)).map((w) => w.originalName);
    expect(decayed.length).toBeGreaterThan(0);
    expect(decayed.every((name) => name.endsWith('/kernel'))).toBe(true);
    expect(decayed).toContain('conv1_conv/kernel');
    expect(decayed).toContain('predictions/kernel');
    expect(kept).toContain('predictions/bias');
    expect(kept).toContain('conv1_bn/gamma');
    expect(kept).toContain('conv1_bn/beta');
    expect(kept.every((name) => /\/(bias|gamma|beta|moving_mean|moving_variance)$/.test(name))).toBe(true);
  });

  it('decays embeddings and keeps a numbered bias or a rank-2 gamma out', () => {
    const weight = (originalName: string, shape: number[]) => ({ originalName, shape }) as unknown as tf.LayerVariable;
    expect(decays(weight('embed/embeddings', [4, 2]))).toBe(true);
    expect(decays(weight('dense/kernel', [3, 2]))).toBe(true);
    expect(decays(weight('dense/bias_1', [2, 2]))).toBe(false);
    expect(decays(weight('norm/gamma', [2, 2]))).toBe(false);
    expect(decays(weight('scale', [2]))).toBe(false);
  });
});
