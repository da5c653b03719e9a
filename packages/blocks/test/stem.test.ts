import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BN_EPSILON, stem, TORCH_BN_EPSILON } from '../src/index';
import { layerNames, withModel } from './helpers';

describe('stem', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('adds the Keras v1 stem layers in order and reduces 224 to 56x56x64', () => {
    withModel([224, 224, 3], (x) => stem(x), (model) => {
      expect(layerNames(model)).toEqual(['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool']);
      expect(model.outputs[0].shape).toEqual([null, 56, 56, 64]);
      // 7*7*3*64 + 64 bias, then BN gamma/beta/mean/variance.
      expect(model.getLayer('conv1_conv').countParams()).toBe(9472);
      expect(model.getLayer('conv1_bn').countParams()).toBe(256);
    });
  });

  it('uses the Keras BN epsilon on the channel axis', () => {
    withModel([32, 32, 3], (x) => stem(x), (model) => {
      const config = model.getLayer('conv1_bn').getConfig();
      expect(config.epsilon).toBe(BN_EPSILON);
      expect(config.axis).toBe(-1);
    });
  });

  it('leaves out BN and ReLU in the pre-activation stem', () => {
    withModel([64, 64, 3], (x) => stem(x, { preact: true }), (model) => {
      expect(layerNames(model)).toEqual(['conv1_pad', 'conv1_conv', 'pool1_pad', 'pool1_pool']);
      expect(model.outputs[0].shape).toEqual([null, 16, 16, 64]);
    });
  });

  it('drops the stem bias when asked (torchvision ResNet18/34)', () => {
    withModel([32, 32, 3], (x) => stem(x, { useBias: false }), (model) => {
      expect(model.getLayer('conv1_conv').countParams()).toBe(7 * 7 * 3 * 64);
    });
  });
  it("computes torchvision's stem: the zero-padded max pool equals torch's -inf padding after the ReLU", () => {
    withModel([32, 32, 3], (x) => stem(x, { useBias: false, bnEpsilon: TORCH_BN_EPSILON, seed: 3 }), (model) => {
      expect(model.getLayer('conv1_bn').getConfig().epsilon).toBe(TORCH_BN_EPSILON);
      const relu = model.getLayer('conv1_relu').output as tf.SymbolicTensor;
      const probe = tf.model({ inputs: model.inputs, outputs: [relu, model.outputs[0]] });
      const [same, ours] = tf.tidy(() => {
        const image = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 7);
        const [activation, pooled] = probe.predict(image) as tf.Tensor4D[];
        // torch.nn.MaxPool2d(3, stride=2, padding=1) pads with -inf.
        const torch = tf.maxPool(tf.pad(activation, [[0, 0], [1, 1], [1, 1], [0, 0]], -Infinity), 3, 2, 'valid');
        return [torch.arraySync(), pooled.arraySync()];
      });
      expect(ours).toEqual(same);
    });
  });
});
