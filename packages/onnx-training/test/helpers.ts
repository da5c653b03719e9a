import * as tf from '@tensorflow/tfjs';
import { seededValues } from '../../../test-support/seeded-values';
import { expect } from 'vitest';

/** conv -> BN -> relu -> global pool -> dense softmax, with fixed names and seeds. */
export function tinyConvNet(size = 6, classes = 3, seed = 1, { convBias = true } = {}): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: convBias, name: 'conv1_conv', kernelInitializer: tf.initializers.glorotUniform({ seed }) })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'tiny' });
}

/** A batch of `count` images of the model's input size and one-hot labels, as the trainer's data gives. */
export function batchFor(model: tf.LayersModel, count: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const [, h, w, c] = model.inputs[0].shape as number[];
  const classes = (model.outputs[0].shape as number[])[1];
  const labels = Array.from({ length: count }, (_, i) => (i * 7 + seed) % classes);
  return tf.tidy(() => ({ xs: tf.tensor4d(seededValues(count * h * w * c, seed), [count, h, w, c]), ys: tf.oneHot(labels, classes).toFloat() as tf.Tensor2D }));
}

/** Every model weight by key (`originalName`), copied. */
export async function weightsByKey(model: tf.LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weights) out.set(w.originalName, ((await w.read().data()) as Float32Array).slice());
  return out;
}

export function setWeights(model: tf.LayersModel, values: Map<string, Float32Array>): void {
  tf.tidy(() => model.weights.forEach((w) => w.write(tf.tensor(values.get(w.originalName)!, w.shape as number[]))));
}

export async function tensorsByKey(map: tf.NamedTensorMap): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const [key, tensor] of Object.entries(map)) out.set(key, (await tensor.data()) as Float32Array);
  return out;
}

/**
 * `actual` equals `expected` element-wise within `atol * scale + rtol * |expected|` (at least
 * `floor`), `scale` being the tensor's largest magnitude: a mismatch names the key, the index and
 * both values.
 */
export function expectClose(
  key: string,
  actual: Float32Array | undefined,
  expected: Float32Array,
  { rtol = 1e-4, atol = 1e-5, floor = 0 }: { rtol?: number; atol?: number; floor?: number } = {},
  skip?: (i: number) => boolean,
): void {
  expect(actual, `${key}: missing`).toBeDefined();
  expect(actual!.length, `${key}: length`).toBe(expected.length);
  const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let i = 0; i < expected.length; i++) {
    if (skip?.(i)) continue;
    const bound = Math.max(floor, atol * scale + rtol * Math.abs(expected[i]));
    if (!(Math.abs(actual![i] - expected[i]) <= bound)) {
      expect.fail(`${key}[${i}]: ${actual![i]} vs ${expected[i]} (bound ${bound})`);
    }
  }
}
