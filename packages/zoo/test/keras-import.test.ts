import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKerasModel, loadKerasWeights, modelFromKerasJson, readKerasWeights } from '../src/weights/index';
import { fixture, flatIndex, haveKerasFixtures, readDatasetDirectly } from './keras-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function buildFromJson(name: string) {
  return modelFromKerasJson(readFileSync(fixture(`${name}.json`), 'utf8'));
}

async function expectValuesAt(model: tf.LayersModel, file: string, layer: string, weightIndex: number, datasetPath: string, positions: number[][]) {
  const stored = await readDatasetDirectly(file, datasetPath);
  const loaded = model.getLayer(layer).getWeights()[weightIndex];
  expect(loaded.shape).toEqual(stored.shape);
  const values = await loaded.data();
  for (const position of positions) {
    const i = flatIndex(stored.shape, position);
    expect(values[i]).toBe(stored.values[i]);
  }
  // All of it, too: loading must copy the dataset exactly.
  expect(Array.from(values)).toEqual(Array.from(stored.values));
}

describe.skipIf(!haveKerasFixtures)('Keras 2.2.4 full model file (HappyModel.h5)', () => {
  const file = fixture('HappyModel.h5');

  it('builds the model from model_config and loads the weights under model_weights/<layer>/<layer>_2', async () => {
    const { model, weights } = await loadKerasModel(file);
    expect(weights.layout).toBe('model');
    expect(weights.kerasVersion).toBe('2.2.4');
    expect(weights.strategy).toBe('name');
    expect(weights.loaded).toEqual(['conv0', 'bn0', 'conv1', 'bn1', 'fc']);
    expect(model.inputs[0].shape).toEqual([null, 64, 64, 3]);
    await expectValuesAt(model, file, 'conv0', 0, 'model_weights/conv0/conv0_2/kernel:0', [[0, 0, 0, 0], [6, 6, 2, 63], [3, 1, 2, 17]]);
    await expectValuesAt(model, file, 'bn0', 3, 'model_weights/bn0/bn0_2/moving_variance:0', [[0], [63]]);
    await expectValuesAt(model, file, 'fc', 0, 'model_weights/fc/fc_2/kernel:0', [[0, 0], [8191, 0]]);
    model.dispose();
  });

  it('loads into a hand-built tfjs HappyModel whose input shape comes from model_config', async () => {
    const file_ = await readKerasWeights(file);
    const config = JSON.parse(file_.modelConfig!) as { config: { layers: Array<{ class_name: string; config: { batch_input_shape?: number[] } }> } };
    const inputShape = config.config.layers.find((l) => l.class_name === 'InputLayer')!.config.batch_input_shape!.slice(1);
    expect(inputShape).toEqual([64, 64, 3]);
    const input = tf.input({ shape: inputShape });
    let x = tf.layers.zeroPadding2d({ padding: 3 }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 64, kernelSize: 7, name: 'conv0' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ axis: 3, name: 'bn0' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pool' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.zeroPadding2d({ padding: 3 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 32, kernelSize: 7, name: 'conv1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ axis: 3, name: 'bn1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: 'max_pool1' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'fc' }).apply(x) as tf.SymbolicTensor;
    const handBuilt = tf.model({ inputs: input, outputs: output });
    const result = await loadKerasWeights(handBuilt, file);
    expect(result).toMatchObject({ layout: 'model', strategy: 'name', loaded: ['conv0', 'bn0', 'conv1', 'bn1', 'fc'] });
    const { model: fromConfig } = await loadKerasModel(file);
    const ours = handBuilt.getWeights();
    const theirs = fromConfig.getWeights();
    expect(ours.map((w) => w.shape)).toEqual(theirs.map((w) => w.shape));
    for (let i = 0; i < ours.length; i += 1) expect(Array.from(await ours[i].data())).toEqual(Array.from(await theirs[i].data()));
    handBuilt.dispose();
    fromConfig.dispose();
  });

  it('computes conv0 + bn0 like a hand computation at sample positions', async () => {
    const { model } = await loadKerasModel(file);
    const kernel = await readDatasetDirectly(file, 'model_weights/conv0/conv0_2/kernel:0');
    const bias = (await readDatasetDirectly(file, 'model_weights/conv0/conv0_2/bias:0')).values;
    const [gamma, beta, mean, variance] = await Promise.all(
      ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(async (w) => (await readDatasetDirectly(file, `model_weights/bn0/bn0_2/${w}:0`)).values),
    );
    const input = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 7);
    const pixels = await input.data();
    const upToBn = tf.model({ inputs: model.inputs, outputs: model.getLayer('bn0').output as tf.SymbolicTensor });
    const out = upToBn.predict(input) as tf.Tensor;
    const outValues = await out.data();
    // ZeroPadding2D(3) then a valid 7x7 conv: output (y, x) reads input rows y-3..y+3.
    for (const [y, x, c] of [[0, 0, 0], [10, 20, 5], [63, 63, 63], [31, 2, 40]]) {
      let acc = bias[c];
      for (let ky = 0; ky < 7; ky += 1) {
        for (let kx = 0; kx < 7; kx += 1) {
          const iy = y + ky - 3;
          const ix = x + kx - 3;
          if (iy < 0 || ix < 0 || iy >= 64 || ix >= 64) continue;
          for (let ci = 0; ci < 3; ci += 1) {
            acc += pixels[(iy * 64 + ix) * 3 + ci] * kernel.values[flatIndex(kernel.shape, [ky, kx, ci, c])];
          }
        }
      }
      const expected = (gamma[c] * (acc - mean[c])) / Math.sqrt(variance[c] + 0.001) + beta[c];
      expect(outValues[(y * 64 + x) * 64 + c]).toBeCloseTo(expected, 4);
    }
    tf.dispose([input, out]);
    model.dispose();
  });
});

describe.skipIf(!haveKerasFixtures)('Keras 2.0.x save_weights files with their model JSON', () => {
  it('loads jetTagger_Conv2D_Small_weights.h5 into the model built from its JSON', async () => {
    const file = fixture('jetTagger_Conv2D_Small_weights.h5');
    const model = await buildFromJson('jetTagger_Conv2D_Small');
    const result = await loadKerasWeights(model, file);
    expect(result.layout).toBe('save_weights');
    expect(result.kerasVersion).toBe('2.0.6');
    expect(result.loaded).toEqual(['batch_normalization_1', 'cnn2D_1_relu', 'batch_normalization_2', 'cnn2D_2_relu', 'dense_1_relu', 'output_softmax']);
    await expectValuesAt(model, file, 'cnn2D_2_relu', 0, 'cnn2D_2_relu/cnn2D_2_relu/kernel:0', [[0, 0, 0, 0], [4, 4, 4, 1], [2, 3, 1, 0]]);
    await expectValuesAt(model, file, 'batch_normalization_2', 2, 'batch_normalization_2/batch_normalization_2/moving_mean:0', [[0], [4]]);
    await expectValuesAt(model, file, 'output_softmax', 1, 'output_softmax/output_softmax/bias:0', [[0], [4]]);
    model.dispose();
  });

  it('runs KERAS_conv2d_model (conv 3x3 same + relu, flatten, dense softmax) like a hand computation', async () => {
    const file = fixture('KERAS_conv2d_model_weights.h5');
    const model = await buildFromJson('KERAS_conv2d_model');
    await loadKerasWeights(model, file);
    const kernel = await readDatasetDirectly(file, 'conv2d_1/conv2d_1/kernel:0');
    const convBias = (await readDatasetDirectly(file, 'conv2d_1/conv2d_1/bias:0')).values;
    const dense = await readDatasetDirectly(file, 'dense_1/dense_1/kernel:0');
    const denseBias = (await readDatasetDirectly(file, 'dense_1/dense_1/bias:0')).values;
    const input = tf.randomNormal([1, 8, 8, 1], 0, 1, 'float32', 3);
    const x = await input.data();
    const features: number[] = [];
    for (let y = 0; y < 8; y += 1) {
      for (let xx = 0; xx < 8; xx += 1) {
        for (let c = 0; c < 2; c += 1) {
          let acc = convBias[c];
          for (let ky = 0; ky < 3; ky += 1) {
            for (let kx = 0; kx < 3; kx += 1) {
              const iy = y + ky - 1;
              const ix = xx + kx - 1;
              if (iy >= 0 && ix >= 0 && iy < 8 && ix < 8) acc += x[iy * 8 + ix] * kernel.values[flatIndex(kernel.shape, [ky, kx, 0, c])];
            }
          }
          features.push(Math.max(0, acc));
        }
      }
    }
    const logits = Array.from({ length: 10 }, (_, j) => features.reduce((s, f, i) => s + f * dense.values[i * 10 + j], denseBias[j]));
    const top = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - top));
    const sum = exps.reduce((a, b) => a + b, 0);
    const output = model.predict(input) as tf.Tensor;
    const got = await output.data();
    exps.forEach((e, j) => expect(got[j]).toBeCloseTo(e / sum, 5));
    tf.dispose([input, output]);
    model.dispose();
  });

  it('runs KERAS_3layer_batch_norm (dense, batch norm, relu) like a hand computation', async () => {
    const file = fixture('KERAS_3layer_batch_norm_weights.h5');
    const model = await buildFromJson('KERAS_3layer_batch_norm');
    const result = await loadKerasWeights(model, file);
    expect(result.kerasVersion).toBe('2.0.8');
    const read = async (layer: string, weight: string) => (await readDatasetDirectly(file, `${layer}/${layer}/${weight}:0`)).values;
    const epsilon = (model.getLayer('bn1').getConfig().epsilon as number);
    const input = tf.randomNormal([1, 16], 0, 1, 'float32', 11);
    let h = Array.from(await input.data());
    const denseThenBn = async (dense: string, bn: string, relu: boolean) => {
      const kernel = await read(dense, 'kernel');
      const bias = await read(dense, 'bias');
      const [gamma, beta, mean, variance] = await Promise.all(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => read(bn, w)));
      const units = bias.length;
      h = Array.from({ length: units }, (_, j) => {
        const z = h.reduce((s, v, i) => s + v * kernel[i * units + j], bias[j]);
        const n = (gamma[j] * (z - mean[j])) / Math.sqrt(variance[j] + epsilon) + beta[j];
        return relu ? Math.max(0, n) : n;
      });
    };
    await denseThenBn('fc1_relu', 'bn1', true);
    await denseThenBn('fc2_relu', 'bn2', true);
    await denseThenBn('fc3_relu', 'bn3', true);
    await denseThenBn('output_softmax', 'bn4', false);
    const top = Math.max(...h);
    const exps = h.map((v) => Math.exp(v - top));
    const sum = exps.reduce((a, b) => a + b, 0);
    const output = model.predict(input) as tf.Tensor;
    const got = await output.data();
    exps.forEach((e, j) => expect(got[j]).toBeCloseTo(e / sum, 5));
    tf.dispose([input, output]);
    model.dispose();
  });
});
