import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues } from '../../../test-support/seeded-values';
import { initNodeWasmBackend } from '../src/node';
const maxAbs = (v: Float32Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/** A small ResNet: strided 7x7 stem, BN, relu, a bottleneck block with projection, pooling, dense. */
function smallResNet(): tf.LayersModel {
  const input = tf.input({ shape: [20, 20, 3] });
  const conv = (filters: number, kernel: number, strides: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: kernel, strides, padding: 'same', name, kernelInitializer: 'glorotUniform' });
  const bn = (name: string) => tf.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name });
  let x = conv(8, 7, 2, 'stem_conv').apply(input) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(bn('stem_bn').apply(x)) as tf.SymbolicTensor;
  const shortcut = bn('b_0_bn').apply(conv(16, 1, 2, 'b_0_conv').apply(x)) as tf.SymbolicTensor;
  let y = tf.layers.activation({ activation: 'relu' }).apply(bn('b_1_bn').apply(conv(4, 1, 2, 'b_1_conv').apply(x)));
  y = tf.layers.activation({ activation: 'relu' }).apply(bn('b_2_bn').apply(conv(4, 3, 1, 'b_2_conv').apply(y)));
  y = bn('b_3_bn').apply(conv(16, 1, 1, 'b_3_conv').apply(y));
  x = tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([shortcut, y as tf.SymbolicTensor])) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 5, activation: 'softmax', name: 'head' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** Loss and weight gradients of one batch; frees every tensor it makes. */
function gradientStep(model: tf.LayersModel): Map<string, Float32Array> {
  const images = tf.tensor(seededValues(4 * 20 * 20 * 3, 7), [4, 20, 20, 3]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 3, 1, 4], 'int32'), 5));
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads, value } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(images, { training: true }) as tf.Tensor),
    variables,
  );
  // Keyed by layer weight name: variable names get unique suffixes per model.
  const result = new Map<string, Float32Array>();
  model.trainableWeights.forEach((w, i) => result.set(w.originalName, grads[variables[i].name].dataSync() as Float32Array));
  result.set('loss', value.dataSync() as Float32Array);
  tf.dispose([images, labels, value, ...Object.values(grads)]);
  return result;
}

/** Builds the model on `backend` with seeded weights, takes the gradients of one batch. */
async function gradientsOn(backend: string): Promise<Map<string, Float32Array>> {
  await tf.setBackend(backend);
  const model = smallResNet();
  const seeded = model.weights.map((w, i) => {
    const shape = w.shape as number[];
    const values = seededValues(tf.util.sizeFromShape(shape), 1000 + i);
    // Positive variances; small weights keep activations in range.
    const scaled = w.name.includes('moving_variance') ? values.map((v) => 1 + Math.abs(v)) : values.map((v) => v * 0.5);
    return tf.tensor(scaled, shape);
  });
  model.setWeights(seeded);
  tf.dispose(seeded);
  // Step twice: the first call lets tfjs-layers create its cached constants.
  let result = new Map<string, Float32Array>();
  for (let step = 0; step < 2; step++) {
    const before = tf.memory().numTensors;
    result = gradientStep(model);
    if (step === 1) expect(tf.memory().numTensors, `tensors left on ${backend}`).toBe(before);
  }
  model.dispose();
  return result;
}

describe('a ResNet training step on wasm', () => {
  beforeAll(async () => {
    await initNodeWasmBackend({ threads: 2 });
  });

  it('computes the same loss and weight gradients as the cpu backend', async () => {
    const cpu = await gradientsOn('cpu');
    const wasm = await gradientsOn('wasm');
    expect([...wasm.keys()].sort()).toEqual([...cpu.keys()].sort());
    expect(cpu.size).toBeGreaterThan(20);
    // Conv biases followed by batch norm have zero gradient in exact arithmetic; what both
    // backends compute there is float noise (~1e-9). Each tensor is compared relative to its own
    // largest value, but never less than 1% of the largest gradient in the model.
    const largest = Math.max(...[...cpu.values()].map(maxAbs));
    for (const [name, expected] of cpu) {
      const actual = wasm.get(name)!;
      const scale = Math.max(maxAbs(expected), 0.01 * largest);
      const worst = expected.reduce((m, e, i) => Math.max(m, Math.abs(actual[i] - e)), 0);
      expect(worst / scale, name).toBeLessThan(1e-4);
    }
  });
});
