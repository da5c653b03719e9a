import type * as tf from '@tensorflow/tfjs';
import { STEM_FILTERS, type BatchNormOptions } from './constants';
import type { SeedOptions } from './initializers';
import { batchNorm, conv, maxPool, relu, zeroPad } from './layers';

export interface StemOptions extends SeedOptions, BatchNormOptions {
  /**
   * ResNetV2 (pre-activation) stem: no `conv1_bn`/`conv1_relu` before pooling, because the first
   * block's `_preact_bn` normalises the stem output. Default false (ResNet v1, ResNet18/34).
   */
  preact?: boolean;
  /** Bias on `conv1_conv`. Keras uses true (v1 and v2); torchvision's ResNet18/34 use false. Default true. */
  useBias?: boolean;
}

/**
 * The ResNet stem as Keras builds it: `conv1_pad` (3), `conv1_conv` 7x7/2, [`conv1_bn`, `conv1_relu`],
 * `pool1_pad` (1), `pool1_pool` 3x3/2. A 224x224 input leaves as 56x56x64.
 *
 * This is also torchvision's stem (`conv1` 7x7/2 padding 3, `bn1`, `relu`, `maxpool` 3x3/2
 * padding 1): torch pads the max pool with -inf, we pad with zeros, and after the ReLU every
 * value is >= 0 and every window holds at least one real pixel, so both give the same maximum.
 */
export function stem(input: tf.SymbolicTensor, options: StemOptions = {}): tf.SymbolicTensor {
  const { preact = false, useBias = true, seed, bnEpsilon } = options;
  let x = zeroPad(input, 3, 'conv1_pad');
  x = conv(x, { filters: STEM_FILTERS, kernelSize: 7, strides: 2, useBias, name: 'conv1_conv', seed });
  if (!preact) {
    x = batchNorm(x, 'conv1_bn', bnEpsilon);
    x = relu(x, 'conv1_relu');
  }
  x = zeroPad(x, 1, 'pool1_pad');
  return maxPool(x, 3, 2, 'pool1_pool');
}
