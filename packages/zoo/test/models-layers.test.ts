import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../src/index';

/** Layer names of Keras's ResNet50, spelled from `keras/src/applications/resnet.py` (without the input). */
function kerasResNet50Names(): string[] {
  const names = ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool'];
  [3, 4, 6, 3].forEach((blocks, i) => {
    for (let b = 1; b <= blocks; b++) {
      const prefix = `conv${i + 2}_block${b}`;
      if (b === 1) names.push(`${prefix}_0_conv`, `${prefix}_0_bn`);
      for (const suffix of ['1_conv', '1_bn', '1_relu', '2_conv', '2_bn', '2_relu', '3_conv', '3_bn', 'add', 'out']) {
        names.push(`${prefix}_${suffix}`);
      }
    }
  });
  return [...names, 'avg_pool', 'predictions'];
}

describe('resnet50 layers are named as Keras applications', () => {
  let model: tf.LayersModel;
  let before = 0;
  beforeAll(() => {
    before = tf.memory().numTensors;
    model = createModel('resnet50', { inputShape: [32, 32, 3] });
  });
  afterAll(() => {
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has 177 layers including the input, as Keras ResNet50', () => {
    // Input 1 + stem 6 + 4 projecting blocks x 12 + 12 identity blocks x 10 + avg_pool + predictions.
    expect(model.layers).toHaveLength(177);
  });

  it('has exactly the Keras layer names', () => {
    const ours = model.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => l.name);
    expect([...ours].sort()).toEqual(kerasResNet50Names().sort());
  });

  it('starts with the stem and ends with the head', () => {
    expect(model.layers.slice(0, 7).map((l) => l.name)).toEqual([
      'input_1',
      'conv1_pad',
      'conv1_conv',
      'conv1_bn',
      'conv1_relu',
      'pool1_pad',
      'pool1_pool',
    ]);
    expect(model.layers.slice(-4).map((l) => l.name)).toEqual(['conv5_block3_add', 'conv5_block3_out', 'avg_pool', 'predictions']);
    expect(model.name).toBe('resnet50');
  });

  it('spot-checks shapes and classes of named layers', () => {
    expect(model.getLayer('conv4_block6_3_bn').getClassName()).toBe('BatchNormalization');
    expect(model.getLayer('conv4_block6_3_bn').outputShape).toEqual([null, 2, 2, 1024]);
    expect(model.getLayer('conv2_block1_0_conv').outputShape).toEqual([null, 8, 8, 256]);
    expect(model.getLayer('conv5_block3_out').outputShape).toEqual([null, 1, 1, 2048]);
    expect(model.getLayer('predictions').getConfig().activation).toBe('softmax');
  });
});

describe('resnet50v2 layers', () => {
  it('has the 192 layers of Keras ResNet50V2 and ends with post_bn, post_relu', () => {
    const before = tf.memory().numTensors;
    const model = createModel('resnet50v2', { inputShape: [32, 32, 3] });
    try {
      // Input 1 + stem 4 + 183 block layers + post 2 + head 2. Keras leaves the 1x1 shortcut pools of
      // the three strided blocks unnamed (`max_pooling2d_N`); ours are named `{block}_0_pool`.
      expect(model.layers).toHaveLength(192);
      expect(model.layers.slice(-4).map((l) => l.name)).toEqual(['post_bn', 'post_relu', 'avg_pool', 'predictions']);
      expect(model.layers.map((l) => l.name).filter((n) => n.endsWith('_0_pool'))).toEqual([
        'conv2_block3_0_pool',
        'conv3_block4_0_pool',
        'conv4_block6_0_pool',
      ]);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
