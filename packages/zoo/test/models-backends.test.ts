import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomizeWeights, withModel } from './models-helpers';

/** Runs `model` on `images` on the given backend and returns plain numbers. */
async function predictOn(backend: string, model: tf.LayersModel, images: tf.Tensor): Promise<Float32Array> {
  expect(await tf.setBackend(backend)).toBe(true);
  const output = model.predict(images) as tf.Tensor;
  const values = (await output.data()) as Float32Array;
  output.dispose();
  return values;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

// Inference only: the stock wasm backend has every forward kernel a ResNet needs.
describe('forward pass on wasm equals cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['resnet18', { includeTop: true, classifierActivation: null, classes: 10 }],
    ['resnet50', { includeTop: true, classifierActivation: null, classes: 10 }],
    ['resnet50v2', { includeTop: false, pooling: 'avg' }],
  ] as const)('%s at 32x32 gives the same outputs within 1e-4', async (name, options) => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    await withModel(name, { inputShape: [32, 32, 3], ...options }, async (model) => {
      randomizeWeights(model, 1234);
      const images = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 99);
      const onCpu = await predictOn('cpu', model, images);
      const onWasm = await predictOn('wasm', model, images);
      images.dispose();
      // Guard against a vacuous comparison: the outputs must carry signal.
      expect(Math.max(...onCpu.map(Math.abs))).toBeGreaterThan(1e-2);
      expect(maxAbsDiff(onCpu, onWasm)).toBeLessThan(1e-4);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
