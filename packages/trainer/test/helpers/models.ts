import * as tf from '@tensorflow/tfjs';
import { orderedWeights } from '../../src/weights';

/** conv -> BN -> relu -> global pool -> dense softmax. Layer names are fixed so reloads match. */
export function tinyConvNet(size: number, classes: number, seed = 1): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv1_conv', kernelInitializer: tf.initializers.glorotUniform({ seed }) })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu', name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: classes, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'tiny' });
}

/** A two-stage residual network (conv2_/conv3_ naming as in Keras ResNets), small enough for cpu tests. */
export function tinyResNet(size: number, classes: number, seed = 1, width = 4): tf.LayersModel {
  let s = seed;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const conv = (x: tf.SymbolicTensor, filters: number, stride: number, name: string, k = 3) =>
    tf.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'same', useBias: false, name, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) => tf.layers.batchNormalization({ name, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.activation({ activation: 'relu', name }).apply(x) as tf.SymbolicTensor;
  const block = (x: tf.SymbolicTensor, filters: number, stride: number, name: string) => {
    const shortcut = stride === 1 ? x : bn(conv(x, filters, stride, `${name}_0_conv`, 1), `${name}_0_bn`);
    let y = relu(bn(conv(x, filters, stride, `${name}_1_conv`), `${name}_1_bn`), `${name}_1_relu`);
    y = bn(conv(y, filters, 1, `${name}_2_conv`), `${name}_2_bn`);
    return relu(tf.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tf.SymbolicTensor, `${name}_out`);
  };
  const input = tf.input({ shape: [size, size, 3], name: 'input' });
  let x = relu(bn(conv(input, width, 1, 'conv1_conv'), 'conv1_bn'), 'conv1_relu');
  x = block(x, width, 1, 'conv2_block1');
  x = block(x, 2 * width, 2, 'conv3_block1');
  x = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions', kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'tiny_resnet' });
}

export async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(orderedWeights(model).map(async (w) => ((await w.read().data()) as Float32Array).slice()));
}
