import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '@resnet-ts/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE, resolveEngine } from '../src/commands/train-engine';
import { CliError } from '../src/errors';

// What `--engine onnx` and `--engine auto` (the default) do with a model or optimizer the onnxruntime engine cannot
// train: onnx refuses naming the layer or setting; auto falls back to tfjs with a one-line notice.
describe('resolveEngine', () => {
  const request = { backend: 'cpu', threads: 1 };
  const adam: OptimizerSpec = { type: 'adam' };
  let supported: tf.LayersModel;
  let unsupported: tf.LayersModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const head = () => [tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 2, activation: 'softmax' })];
    supported = tf.sequential({ name: 'plain', layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), ...head()] });
    unsupported = tf.sequential({
      name: 'with_layer_norm',
      layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), tf.layers.layerNormalization({ name: 'ln' }), ...head()],
    });
  });
  afterAll(() => [supported, unsupported].forEach((m) => m.dispose()));

  it('--engine onnx: an unsupported layer or optimizer is an error naming it', async () => {
    const layer = resolveEngine({ ...request, engine: 'onnx' }, unsupported, adam);
    await expect(layer).rejects.toBeInstanceOf(CliError);
    await expect(layer).rejects.toThrow(/--engine onnx: the onnxruntime engine cannot train with_layer_norm: Layer 'ln' \(LayerNormalization\) is not supported .* Use --engine tfjs/);
    const optimizer = resolveEngine({ ...request, engine: 'onnx' }, supported, { type: 'my_rule' } as unknown as OptimizerSpec);
    await expect(optimizer).rejects.toThrow(/--engine onnx: .*my_rule/);
  });

  it('--engine auto: onnx when it can train the model, else tfjs with a notice naming why', async () => {
    const picked = await resolveEngine({ ...request, engine: 'auto' }, supported, adam);
    expect(picked.name).toBe('onnxruntime (cpu, 1 thread)');
    expect(picked.notice).toBeUndefined();
    const fallback = await resolveEngine({ ...request, engine: 'auto' }, unsupported, adam);
    expect(fallback.name).toBe('tfjs (cpu)');
    expect(fallback.notice).toMatch(/^resnet: training on tfjs \(cpu\): the onnxruntime engine cannot train this model \(Layer 'ln' \(LayerNormalization\)/);
    expect(fallback.notice).not.toContain('\n');
  });

  it('--engine tfjs never opens onnxruntime; the default is auto', async () => {
    expect((await resolveEngine({ ...request, engine: 'tfjs' }, unsupported, adam)).name).toBe('tfjs (cpu)');
    expect(DEFAULT_ENGINE).toBe('auto');
    expect((await resolveEngine(request, unsupported, adam)).notice).toMatch(/the onnxruntime engine cannot train this model/);
  });
});
