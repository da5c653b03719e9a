import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { seededValues } from '../../../test-support/seeded-values';

/** Uses the wasm backend (fast forward passes in Node) and falls back to cpu if it cannot start. */
export async function useFastBackend(): Promise<string> {
  if (tf.getBackend() === 'wasm') return 'wasm';
  const ok = await tf.setBackend('wasm').catch(() => false);
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

/**
 * Gives every BatchNormalization non-trivial statistics (as a trained model has), so a wrong
 * axis or a wrong fold shows up in the outputs.
 */
export function randomizeBatchNorms(model: tf.LayersModel, seed = 7): void {
  let s = seed;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const values = layer.weights.map((w) => {
      const name = w.name;
      const count = (w.shape as number[]).reduce((a, b) => a * b, 1);
      const range: [number, number] = name.includes('variance') ? [0.5, 2] : name.includes('gamma') ? [0.5, 1.5] : [-0.2, 0.2];
      return tf.tensor(seededValues(count, s++, ...range), w.shape as number[]);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

export interface MiniResNetOptions {
  inputSize?: number;
  classes?: number;
  pooling?: 'avg' | 'max';
  epsilon?: number;
  activation?: string;
}

/**
 * A small functional ResNet with the layer types of the zoo's models: ZeroPadding2D stem, strided
 * Conv2D with bias, BatchNormalization, Activation relu, MaxPooling2D, a bottleneck block whose
 * shortcut is a projection, Add, global pooling and a Dense classifier.
 */
export function buildMiniResNet(options: MiniResNetOptions = {}): tf.LayersModel {
  const { inputSize = 32, classes = 5, pooling = 'avg', epsilon = 1.001e-5, activation = 'softmax' } = options;
  const input = tf.input({ shape: [inputSize, inputSize, 3], name: 'input_1' });
  const bn = (name: string) => tf.layers.batchNormalization({ axis: 3, epsilon, name });
  const relu = (name: string) => tf.layers.activation({ activation: 'relu', name });
  let x = tf.layers.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 7, strides: 2, useBias: true, name: 'conv1_conv' }).apply(x) as tf.SymbolicTensor;
  x = bn('conv1_bn').apply(x) as tf.SymbolicTensor;
  x = relu('conv1_relu').apply(x) as tf.SymbolicTensor;
  x = tf.layers.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as tf.SymbolicTensor;

  let shortcut = tf.layers.conv2d({ filters: 16, kernelSize: 1, strides: 2, name: 'block1_0_conv' }).apply(x) as tf.SymbolicTensor;
  shortcut = bn('block1_0_bn').apply(shortcut) as tf.SymbolicTensor;
  let y = tf.layers.conv2d({ filters: 4, kernelSize: 1, strides: 2, useBias: false, name: 'block1_1_conv' }).apply(x) as tf.SymbolicTensor;
  y = bn('block1_1_bn').apply(y) as tf.SymbolicTensor;
  y = relu('block1_1_relu').apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'block1_2_conv' }).apply(y) as tf.SymbolicTensor;
  y = bn('block1_2_bn').apply(y) as tf.SymbolicTensor;
  y = relu('block1_2_relu').apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 16, kernelSize: 1, name: 'block1_3_conv' }).apply(y) as tf.SymbolicTensor;
  y = bn('block1_3_bn').apply(y) as tf.SymbolicTensor;
  x = tf.layers.add({ name: 'block1_add' }).apply([shortcut, y]) as tf.SymbolicTensor;
  x = relu('block1_out').apply(x) as tf.SymbolicTensor;

  const pool = pooling === 'avg' ? tf.layers.globalAveragePooling2d({ name: 'avg_pool' }) : tf.layers.globalMaxPooling2d({ name: 'max_pool' });
  x = pool.apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: classes, activation: activation as 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'mini_resnet' });
  randomizeBatchNorms(model);
  return model;
}
