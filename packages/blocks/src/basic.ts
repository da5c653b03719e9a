import type * as tf from '@tensorflow/tfjs';
import type { StackOptions } from './bottleneck';
import type { BatchNormOptions } from './constants';
import type { SeedOptions } from './initializers';
import { add, batchNorm, channelsOf, conv, relu, zeroPad } from './layers';

export interface BasicBlockOptions extends SeedOptions, BatchNormOptions {
  /** Layer-name prefix, e.g. `conv3_block1`. */
  name: string;
  /** Stride of the first 3x3 convolution and of the projection. Default 1. */
  stride?: number;
  /**
   * Project the shortcut with a bias-free 1x1 `_0_conv` + `_0_bn`. Default: only when the shape
   * changes (stride > 1 or a different channel count), as torchvision's `downsample`.
   */
  convShortcut?: boolean;
}

/**
 * The basic residual block of ResNet18/34 (torchvision `BasicBlock`): two bias-free 3x3
 * convolutions with BN after each, ReLU between, `_add`, then `_out` ReLU. Strided blocks pad
 * explicitly (`_1_pad`, 1 pixel each side) like torchvision's `padding=1`, because 'same' padding
 * with stride 2 would pad only bottom/right and shift every feature by one pixel.
 */
export function basicBlock(x: tf.SymbolicTensor, filters: number, options: BasicBlockOptions): tf.SymbolicTensor {
  const { name, stride = 1, seed, bnEpsilon } = options;
  const convShortcut = options.convShortcut ?? (stride !== 1 || channelsOf(x) !== filters);
  let shortcut = x;
  if (convShortcut) {
    shortcut = conv(x, { filters, kernelSize: 1, strides: stride, useBias: false, name: `${name}_0_conv`, seed });
    shortcut = batchNorm(shortcut, `${name}_0_bn`, bnEpsilon);
  }
  let y = x;
  if (stride > 1) {
    y = zeroPad(y, 1, `${name}_1_pad`);
    y = conv(y, { filters, kernelSize: 3, strides: stride, useBias: false, name: `${name}_1_conv`, seed });
  } else {
    y = conv(y, { filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_1_conv`, seed });
  }
  y = relu(batchNorm(y, `${name}_1_bn`, bnEpsilon), `${name}_1_relu`);
  y = conv(y, { filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_2_conv`, seed });
  y = batchNorm(y, `${name}_2_bn`, bnEpsilon);
  return relu(add(shortcut, y, `${name}_add`), `${name}_out`);
}

/** A basic-block stage (torchvision `_make_layer`): the first block carries `stride1` (default 2). */
export function basicStack(x: tf.SymbolicTensor, filters: number, blocks: number, options: StackOptions): tf.SymbolicTensor {
  const { name, stride1 = 2, seed, bnEpsilon } = options;
  let y = basicBlock(x, filters, { stride: stride1, name: `${name}_block1`, seed, bnEpsilon });
  for (let i = 2; i <= blocks; i++) {
    y = basicBlock(y, filters, { name: `${name}_block${i}`, seed, bnEpsilon });
  }
  return y;
}
