import type * as tf from '@tensorflow/tfjs';
import type { BatchNormOptions } from './constants';
import type { SeedOptions } from './initializers';
import { add, batchNorm, conv, relu, zeroPad } from './layers';

/** Output channels of a bottleneck block are `BOTTLENECK_EXPANSION * filters`. */
export const BOTTLENECK_EXPANSION = 4;

/**
 * Which convolution of a bottleneck carries the stride: `'1x1'`, the first one (Keras and Caffe
 * ResNet v1), or `'3x3'`, the middle one ("ResNet v1.5": torchvision's and timm's `Bottleneck`).
 */
export type BottleneckStrideAt = '1x1' | '3x3';

/** How a bottleneck is built, beyond its name and stride: shared by the block and its stack. */
export interface BottleneckStyleOptions extends SeedOptions, BatchNormOptions {
  /** Where the stride goes. Default `'1x1'` (Keras). */
  strideAt?: BottleneckStrideAt;
  /** Bias on every convolution of the block. Default true (Keras); torchvision's convolutions have none. */
  useBias?: boolean;
}

export interface BottleneckBlockOptions extends BottleneckStyleOptions {
  /** Layer-name prefix, e.g. `conv2_block1`. */
  name: string;
  /** Kernel size of the middle convolution. Default 3. */
  kernelSize?: number;
  /** Stride of the projection shortcut and of the convolution `strideAt` names. Default 1. */
  stride?: number;
  /** Project the shortcut with `_0_conv`/`_0_bn` (the notebook's convolutional block); false keeps the identity. Default true. */
  convShortcut?: boolean;
}

/**
 * The ResNet v1 bottleneck block (Keras `residual_block_v1`): 1x1 -> 3x3 -> 1x1 (x4 channels),
 * each followed by BN, ReLU after the first two, added to the shortcut, then `_out` ReLU.
 * With `strideAt: '3x3'` a strided block pads explicitly (`_2_pad`, 1 pixel each side) like
 * torchvision's `padding=1`: 'same' padding with stride 2 would pad only bottom/right.
 */
export function bottleneckBlock(x: tf.SymbolicTensor, filters: number, options: BottleneckBlockOptions): tf.SymbolicTensor {
  const { name, kernelSize = 3, stride = 1, convShortcut = true, seed, bnEpsilon, strideAt = '1x1', useBias = true } = options;
  let shortcut = x;
  if (convShortcut) {
    shortcut = conv(x, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, strides: stride, useBias, name: `${name}_0_conv`, seed });
    shortcut = batchNorm(shortcut, `${name}_0_bn`, bnEpsilon);
  }
  const firstStride = strideAt === '1x1' ? stride : 1;
  const middleStride = strideAt === '3x3' ? stride : 1;
  let y = conv(x, { filters, kernelSize: 1, strides: firstStride, useBias, name: `${name}_1_conv`, seed });
  y = relu(batchNorm(y, `${name}_1_bn`, bnEpsilon), `${name}_1_relu`);
  if (middleStride > 1) {
    y = zeroPad(y, Math.floor(kernelSize / 2), `${name}_2_pad`);
    y = conv(y, { filters, kernelSize, strides: middleStride, useBias, name: `${name}_2_conv`, seed });
  } else {
    y = conv(y, { filters, kernelSize, padding: 'same', useBias, name: `${name}_2_conv`, seed });
  }
  y = relu(batchNorm(y, `${name}_2_bn`, bnEpsilon), `${name}_2_relu`);
  y = conv(y, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, useBias, name: `${name}_3_conv`, seed });
  y = batchNorm(y, `${name}_3_bn`, bnEpsilon);
  return relu(add(shortcut, y, `${name}_add`), `${name}_out`);
}

export interface StackOptions extends SeedOptions, BatchNormOptions {
  /** Stage prefix, e.g. `conv3`; blocks are named `conv3_block1`, `conv3_block2`, ... */
  name: string;
  /** Stride of the strided block of the stage. Default 2 (Keras uses 1 for the first stage). */
  stride1?: number;
}

export type BottleneckStackOptions = StackOptions & BottleneckStyleOptions;

/** A v1 stage (Keras `stack_residual_blocks_v1`): one projecting block with `stride1`, then identity blocks. */
export function bottleneckStack(x: tf.SymbolicTensor, filters: number, blocks: number, options: BottleneckStackOptions): tf.SymbolicTensor {
  const { name, stride1 = 2, ...style } = options;
  let y = bottleneckBlock(x, filters, { ...style, stride: stride1, name: `${name}_block1` });
  for (let i = 2; i <= blocks; i++) {
    y = bottleneckBlock(y, filters, { ...style, convShortcut: false, name: `${name}_block${i}` });
  }
  return y;
}
