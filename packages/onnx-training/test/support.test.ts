import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '@resnet-ts/zoo';
import { onnxTrainingSupport } from '../src';
import { onnxTrainingEngine, OnnxTrainingError } from '../src/node';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A model with a layer the training graph has no backward pass for. */
function withUnsupportedLayer(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 3] });
  let x = tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, name: 'upsample_1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('onnxTrainingSupport', () => {
  it('accepts the zoo\'s resnet18', () => {
    const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 3 });
    expect(onnxTrainingSupport(model)).toEqual({ supported: true });
    model.dispose();
  });

  it('names the first layer it cannot train, and the engine refuses the model with that name', async () => {
    const model = withUnsupportedLayer();
    const support = onnxTrainingSupport(model);
    expect(support.supported).toBe(false);
    expect(support.supported === false && support.reason).toMatch(/upsample_1/);
    const engine = onnxTrainingEngine()({ model, optimizer: { type: 'adam' } });
    await expect(engine).rejects.toThrow(OnnxTrainingError);
    await expect(engine).rejects.toThrow(/upsample_1.*--engine tfjs/);
    model.dispose();
  });
});
