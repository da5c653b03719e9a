import type * as tf from '@tensorflow/tfjs';
import { BOTTLENECK_EXPANSION, type StackOptions } from './bottleneck';
import type { SeedOptions } from './initializers';
import { add, batchNorm, conv, maxPool, relu, zeroPad } from './layers';

export interface PreactBottleneckBlockOptions extends SeedOptions {
  /** Layer-name prefix, e.g. `conv2_block1`. */
  name: string;
  /** Kernel size of the middle convolution. Default 3. */
  kernelSize?: number;
  /** Stride of the middle convolution (and of the shortcut). Default 1. */
  stride?: number;
  /** Project the pre-activated input with `_0_conv` (no BN on it in v2). Default false. */
  convShortcut?: boolean;
}

/**
 * The ResNet v2 pre-activation bottleneck (Keras `residual_block_v2`): `_preact_bn`/`_preact_relu`
 * first, then 1x1 -> pad -> 3x3 (strided) -> 1x1, added to the shortcut as `_out` (no ReLU after).
 */
export function preactBottleneckBlock(
  x: tf.SymbolicTensor,
  filters: number,
  options: PreactBottleneckBlockOptions,
): tf.SymbolicTensor {
  const { name, kernelSize = 3, stride = 1, convShortcut = false, seed } = options;
  const preact = relu(batchNorm(x, `${name}_preact_bn`), `${name}_preact_relu`);
  let shortcut: tf.SymbolicTensor;
  if (convShortcut) {
    shortcut = conv(preact, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv`, seed });
  } else if (stride > 1) {
    // Keras leaves this 1x1 subsampling pool unnamed (auto-numbered); it has no weights, so we
    // give it a predictable name instead.
    shortcut = maxPool(x, 1, stride, `${name}_0_pool`);
  } else {
    shortcut = x;
  }
  let y = conv(preact, { filters, kernelSize: 1, useBias: false, name: `${name}_1_conv`, seed });
  y = relu(batchNorm(y, `${name}_1_bn`), `${name}_1_relu`);
  y = zeroPad(y, 1, `${name}_2_pad`);
  y = conv(y, { filters, kernelSize, strides: stride, useBias: false, name: `${name}_2_conv`, seed });
  y = relu(batchNorm(y, `${name}_2_bn`), `${name}_2_relu`);
  y = conv(y, { filters: BOTTLENECK_EXPANSION * filters, kernelSize: 1, name: `${name}_3_conv`, seed });
  return add(shortcut, y, `${name}_out`);
}

/**
 * A v2 stage (Keras `stack_residual_blocks_v2`): a projecting first block, identity blocks, and the
 * stride on the LAST block (`stride1`, default 2; Keras uses 1 for the last stage).
 */
export function preactBottleneckStack(
  x: tf.SymbolicTensor,
  filters: number,
  blocks: number,
  options: StackOptions,
): tf.SymbolicTensor {
  const { name, stride1 = 2, seed } = options;
  let y = preactBottleneckBlock(x, filters, { convShortcut: true, name: `${name}_block1`, seed });
  for (let i = 2; i < blocks; i++) {
    y = preactBottleneckBlock(y, filters, { name: `${name}_block${i}`, seed });
  }
  return preactBottleneckBlock(y, filters, { stride: stride1, name: `${name}_block${blocks}`, seed });
}

/** The closing BN + ReLU of a pre-activation network (`post_bn`, `post_relu`). */
export function postActivation(x: tf.SymbolicTensor): tf.SymbolicTensor {
  return relu(batchNorm(x, 'post_bn'), 'post_relu');
}
