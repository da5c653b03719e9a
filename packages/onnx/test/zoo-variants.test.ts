import * as tf from '@tensorflow/tfjs';
import { createModel, getModelConfig, listModels } from '@resnet-ts/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/export-onnx';
import { readOnnxMetadata } from '../src/metadata';
import { verifyOnnx } from '../src/node/verify';
import { randomizeBatchNorms, useFastBackend } from './helpers';

// Every registered variant at the smallest input Keras accepts (32x32) and a small head, so even
// ResNet152 builds, exports and runs in seconds; BN statistics are randomized as after training.
const INPUT: [number, number, number] = [32, 32, 3];
const CLASSES = 10;
// The torchvision variants add two building blocks (bias-free basic blocks, the v1.5 bottleneck);
// one of each covers them: deeper ones and the tv2 weights' entries repeat the same layers.
const TORCH_VARIANTS = ['resnet18.tv_in1k', 'resnet50.tv_in1k'];
const VARIANTS = listModels().filter((name) => !name.includes('.') || TORCH_VARIANTS.includes(name));

describe('zoo variants export and match tfjs within 1e-4 on softmax outputs', () => {
  beforeAll(useFastBackend);

  it.each(VARIANTS)('%s', async (name) => {
    const model = createModel(name, { inputShape: INPUT, classes: CLASSES });
    try {
      randomizeBatchNorms(model);
      const before = tf.memory().numTensors;
      const config = getModelConfig(name);
      const bytes = exportOnnx(model, { metadata: { modelName: name, preprocessing: { ...config.preprocessing } } });
      const check = await verifyOnnx(model, bytes, { batchSize: 2, inputRange: [-2, 2], intraOpThreads: 1 });
      expect(check.outputShapes).toEqual([[2, CLASSES]]);
      expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      expect(readOnnxMetadata(bytes).preprocessing).toEqual(JSON.parse(JSON.stringify(config.preprocessing)));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });
});

describe('zoo heads and folding (resnet18, resnet50v2)', () => {
  beforeAll(useFastBackend);

  it.each([
    ['resnet18', { includeTop: false, pooling: 'avg' as const }],
    ['resnet18', { includeTop: false, pooling: 'max' as const }],
    ['resnet18', { includeTop: false }],
    ['resnet18', { classifierActivation: null }],
  ])('%s %j', async (name, options) => {
    const model = createModel(name, { inputShape: INPUT, classes: CLASSES, ...options });
    try {
      randomizeBatchNorms(model);
      const check = await verifyOnnx(model, exportOnnx(model), { intraOpThreads: 1 });
      // Features and logits are unbounded: compare relative to their size.
      expect(check.maxAbsDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, check.maxAbsExpected));
      expect(check.outputShapes[0][0]).toBe(2);
    } finally {
      model.dispose();
    }
  });

  it.each(['resnet50', 'resnet50v2'])('%s folded equals the tfjs model (NCHW too)', async (name) => {
    const model = createModel(name, { inputShape: INPUT, classes: CLASSES });
    try {
      randomizeBatchNorms(model);
      const folded = await verifyOnnx(model, exportOnnx(model, { foldBatchNorm: true }), { intraOpThreads: 1 });
      expect(folded.maxAbsDiff).toBeLessThanOrEqual(1e-4);
      const nchw = await verifyOnnx(model, exportOnnx(model, { foldBatchNorm: true, layout: 'nchw' }), { intraOpThreads: 1 });
      expect(nchw.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    } finally {
      model.dispose();
    }
  });
});
