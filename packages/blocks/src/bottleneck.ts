import type * as tf from '@tensorflow/tfjs';
import type { SeedOptions } from './initializers';
import { add, batchNorm, conv, relu } from './layers';

/** Output channels of a bottleneck block are `BOTTLENECK_EXPANSION * filters`. */
export const BOTTLENECK_EXPANSION = 4;

export interface BottleneckBlockOptions extends SeedOptions {
  /** Layer-name prefix, e.g. `conv2_block1`. */
  name: string;
  /** Kernel size of the middle convolution. Default 3. */
  kernelSize?: number;
  /** Stride of the first 1x1 convolution and of the projection shortcut (Caffe style). Default 1. */
  stride?: number;
  /** Project the shortcut with `_0_conv`/`_0_bn` (the notebook's convolutional block); false keeps the identity. Default true. */
  convShortcut?: boolean;
}

/**
 * The ResNet v1 bottleneck block (Keras `residual_block_v1`): 1x1 -> 3x3 -> 1x1 (x4 channels),
 * each followed by BN, ReLU after the first two, added to the shortcut, then `_out` ReLU.
 */
export function bottleneckBlock(x: tf.SymbolicTensor, filters: number, options: BottleneckBlockOptions): tf.SymbolicTensor {
  const { name, kernelSize = 3, stride = 1, convShortcut = true, seed } = options;
  let shortcut = x;
  if (convShortcut) {
    shortcut = conv(x, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv`, seed });
    shortcut = batchNorm(shortcut, `${name}_0_bn`);
  }
  let y = conv(x, { filters, kernelSize: 1, strides: stride, name: `${name}_1_conv`, seed });
  y = relu(batchNorm(y, `${name}_1_bn`), `${name}_1_relu`);
  y = conv(y, { filters, kernelSize, padding: 'same', name: `${name}_2_conv`, seed });
  y = relu(batchNorm(y, `${name}_2_bn`), `${name}_2_relu`);
  y = conv(y, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, name: `${name}_3_conv`, seed });
  y = batchNorm(y, `${name}_3_bn`);
  return relu(add(shortcut, y, `${name}_add`), `${name}_out`);
}

export interface StackOptions extends SeedOptions {
  /** Stage prefix, e.g. `conv3`; blocks are named `conv3_block1`, `conv3_block2`, ... */
  name: string;
  /** Stride of the strided block of the stage. Default 2 (Keras uses 1 for the first stage). */
  stride1?: number;
}

/** A v1 stage (Keras `stack_residual_blocks_v1`): one projecting block with `stride1`, then identity blocks. */
export function bottleneckStack(x: tf.SymbolicTensor, filters: number, blocks: number, options: StackOptions): tf.SymbolicTensor {
  const { name, stride1 = 2, seed } = options;
  let y = bottleneckBlock(x, filters, { stride: stride1, name: `${name}_block1`, seed });
  for (let i = 2; i <= blocks; i++) {
    y = bottleneckBlock(y, filters, { convShortcut: false, name: `${name}_block${i}`, seed });
  }
  return y;
}
