import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxExportError } from '../src/errors';
import { buildTrainingGraph, type TrainingGraphOptions } from '../src/training';
import { useFastConv2DFilterGradient, restoreConv2DFilterGradient } from './conv-filter-gradient';
import { seededValues } from '../../../test-support/seeded-values';
import { buildMiniResNet } from './helpers';
import { gradientErrors, normRelativeError, referenceGradients, restoreWeights, runTrainingGraph, seededBatch, snapshotWeights } from './training-helpers';

// Small models with every layer type of the zoo's ResNets, checked against tfjs cpu in well under
// a second each; the zoo models themselves are in training-zoo.test.ts.
const sgd: Pick<TrainingGraphOptions, 'optimizer' | 'clipNorm' | 'topK'> = { optimizer: { type: 'sgd' }, clipNorm: 0, topK: 2 };


describe('buildTrainingGraph: gradients and BatchNorm statistics equal tfjs cpu', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it.each([
    ['softmax, label smoothing 0.1', { activation: 'softmax', labelSmoothing: 0.1, fromLogits: false }],
    ['logits', { activation: 'linear', labelSmoothing: 0, fromLogits: true }],
  ])('mini ResNet (%s): every gradient within 1e-4, loss, counts, moving statistics', async (_label, c) => {
    const model = buildMiniResNet({ inputSize: 32, classes: 5, activation: c.activation });
    try {
      const batch = seededBatch(3, 32, 5, 1);
      const graph = buildTrainingGraph(model, { ...sgd, labelSmoothing: c.labelSmoothing, fromLogits: c.fromLogits, outputGradients: true });
      const results = await runTrainingGraph(graph, model, batch, { lr: 0, step: 1, weightDecay: 0 });
      const before = snapshotWeights(model);
      const reference = referenceGradients(model, batch, c);
      const after = snapshotWeights(model);
      restoreWeights(model, before);

      expect(results.get(graph.outputs.loss)![0]).toBeCloseTo(reference.loss, 5);
      expect(graph.gradients!.map((g) => g.key)).toEqual([...reference.gradients.keys()]);
      for (const { key, error } of gradientErrors(results, graph.gradients!, reference.gradients)) expect(error, key).toBeLessThan(1e-4);
      const stats = graph.weights.filter((w) => w.key.includes('moving_'));
      expect(stats).toHaveLength(2 * 5);
      for (const weight of stats) expect(normRelativeError(results.get(weight.output!)!, after.get(weight.key)!), weight.key).toBeLessThan(1e-6);
      const correct = results.get(graph.outputs.correct)![0];
      expect(Number.isInteger(correct) && correct >= 0 && correct <= 3).toBe(true);
      expect(results.get(graph.outputs.topKCorrect)![0]).toBeGreaterThanOrEqual(correct);
    } finally {
      model.dispose();
    }
  });

  it('Sequential: every input-gradient form (3x3 stride 2, 1x1 stride 2 on an odd size, 3x3 same), flatten, dense: within 1e-4', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [11, 11, 3], filters: 4, kernelSize: 1, activation: 'relu' }),
        tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, activation: 'relu' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 1, strides: 2 }),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    try {
      const batch = seededBatch(2, 11, 3, 5);
      const graph = buildTrainingGraph(model, { ...sgd, labelSmoothing: 0, fromLogits: false, outputGradients: true });
      const results = await runTrainingGraph(graph, model, batch, { lr: 0, step: 1, weightDecay: 0 });
      const before = snapshotWeights(model);
      const reference = referenceGradients(model, batch, { labelSmoothing: 0, fromLogits: false });
      restoreWeights(model, before);
      for (const { key, error } of gradientErrors(results, graph.gradients!, reference.gradients)) expect(error, key).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('a head on cached features ([B, features] input: dense, BatchNorm, dense): within 1e-4', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [16], units: 8, activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    try {
      const labels = new Float32Array(4 * 3);
      for (let i = 0; i < 4; i++) labels[i * 3 + (i % 3)] = 1;
      const batch = { images: seededValues(4 * 16, 9), labels, shape: [4, 16], classes: 3 };
      const graph = buildTrainingGraph(model, { ...sgd, labelSmoothing: 0, fromLogits: false, outputGradients: true });
      const results = await runTrainingGraph(graph, model, batch, { lr: 0, step: 1, weightDecay: 0 });
      const before = snapshotWeights(model);
      const reference = referenceGradients(model, batch, { labelSmoothing: 0, fromLogits: false });
      restoreWeights(model, before);
      expect(results.get(graph.outputs.loss)![0]).toBeCloseTo(reference.loss, 5);
      for (const { key, error } of gradientErrors(results, graph.gradients!, reference.gradients)) expect(error, key).toBeLessThan(1e-4);
    } finally {
      model.dispose();
    }
  });
});

describe('buildTrainingGraph: refusals name the layer or option', () => {
  const options: TrainingGraphOptions = { ...sgd, labelSmoothing: 0, fromLogits: false };
  const withLayer = (layer: tf.layers.Layer) =>
    tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), layer, tf.layers.flatten(), tf.layers.dense({ units: 2, activation: 'softmax' })] });

  it('an unsupported layer: its name and class', () => {
    const model = withLayer(tf.layers.averagePooling2d({ poolSize: 2, name: 'my_avg_pool' }));
    expect(() => buildTrainingGraph(model, options)).toThrow(OnnxExportError);
    expect(() => buildTrainingGraph(model, options)).toThrow(/Layer 'my_avg_pool' \(AveragePooling2D\) is not supported by the ONNX training graph/);
    model.dispose();
  });

  it('Dropout with a non-zero rate, which would need random masks', () => {
    const model = withLayer(tf.layers.dropout({ rate: 0.5, name: 'drop' }));
    expect(() => buildTrainingGraph(model, options)).toThrow(/Layer 'drop' \(Dropout\): rate 0.5 draws random masks/);
    model.dispose();
  });

  it('an optimizer without a graph, and a bad option', () => {
    const model = withLayer(tf.layers.reLU());
    expect(() => buildTrainingGraph(model, { ...options, optimizer: { type: 'adagrad' } })).toThrow(/optimizer 'adagrad' has no ONNX training graph \(supported: adam, sgd, rmsprop, lion, lamb\)/);
    expect(() => buildTrainingGraph(model, { ...options, clipNorm: -1 })).toThrow(/option 'clipNorm' must be a finite number >= 0/);
    model.dispose();
  });
});

describe('the zoo tests\' fast cpu Conv2DBackpropFilter', () => {
  beforeAll(() => tf.setBackend('cpu'));

  it.each([
    [3, 1, 'same'],
    [3, 2, 'valid'],
    [7, 2, 'valid'],
    [1, 2, 'valid'],
    [3, 2, 'same'],
  ] as const)('equals tfjs cpu\'s own kernel: kernel %i, stride %i, %s', (k, stride, pad) => {
    const x = tf.randomUniform([2, 11, 10, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const outSize = (n: number) => (pad === 'same' ? Math.ceil(n / stride) : Math.floor((n - k) / stride) + 1);
    const dy = tf.randomUniform([2, outSize(11), outSize(10), 4], -1, 1, 'float32', 2) as tf.Tensor4D;
    const filter = tf.zeros([k, k, 3, 4]) as tf.Tensor4D;
    // The filter gradient of sum(conv2d(x, f) * dy) is Conv2DBackpropFilter(x, dy).
    const filterGradient = () => tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, pad), dy)))(filter);
    const expected = filterGradient();
    useFastConv2DFilterGradient();
    try {
      const actual = filterGradient();
      expect(normRelativeError(actual.dataSync() as Float32Array, expected.dataSync() as Float32Array)).toBeLessThan(1e-6);
      actual.dispose();
    } finally {
      restoreConv2DFilterGradient();
      tf.dispose([x, dy, filter, expected]);
    }
  });
});
