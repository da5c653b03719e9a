import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Optimizer } from '../src/optimizers';
import { trainStep } from '../src/train-step';
import { randomDataset } from './helpers/datasets';
import { tinyResNet } from './helpers/models';

/** WebGPU's default `maxStorageBuffersPerShaderStage`: one buffer per input, plus the output. */
const WEBGPU_STORAGE_BUFFERS = 8;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const engine = tf.engine() as unknown as { runKernel: (name: string, inputs: object, attrs?: object) => unknown };
const original = engine.runKernel;
afterEach(() => {
  engine.runKernel = original;
});

describe('a training step on GPU backends', () => {
  it('runs no kernel with more inputs than a WebGPU shader stage has storage buffers', async () => {
    const model = tinyResNet(8, 3);
    expect(model.trainableWeights.length).toBeGreaterThan(WEBGPU_STORAGE_BUFFERS);
    const widest = { name: '', inputs: 0 };
    engine.runKernel = function (this: unknown, name: string, inputs: object, attrs?: object) {
      const count = Object.keys(inputs).length;
      if (count > widest.inputs) Object.assign(widest, { name, inputs: count });
      return original.call(this, name, inputs, attrs);
    };
    const batch = (await randomDataset(4, 3, 8).batches({ batchSize: 4 }).next()).value!;
    const optimizer = new Optimizer({ type: 'adam' });
    const options = { lr: 1e-3, weightDecay: 0, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1 };
    const result = await trainStep(model, optimizer, batch, options);
    engine.runKernel = original;
    expect(result.finite).toBe(true);
    expect(widest.inputs, `${widest.name} takes ${widest.inputs} inputs`).toBeLessThan(WEBGPU_STORAGE_BUFFERS);
    tf.dispose([batch.xs, batch.ys]);
    optimizer.dispose();
    model.dispose();
  });
});
