import type * as tf from '@tensorflow/tfjs';
import { basicStack, bottleneckStack, preactBottleneckStack, type BatchNormOptions, type SeedOptions } from '@resnet-ts/blocks';

/**
 * Adds every residual stage to the stem output (Keras's `stack_fn`). `options.seed` is the model's
 * seed, to pass to the blocks (a stack_fn that ignores it builds unseeded stages).
 */
export type StackFn = (x: tf.SymbolicTensor, options?: SeedOptions) => tf.SymbolicTensor;

/** Residual block family of a variant. */
export type BlockType =
  /** v1 bottleneck (ResNet50/101/152): stride on the first block, ReLU after the add. */
  | 'bottleneck'
  /** v2 pre-activation bottleneck (ResNet50V2/...): stride on the last block of a stage. */
  | 'preact-bottleneck'
  /**
   * torchvision's and timm's `Bottleneck` ("ResNet v1.5", timm's `resnet50`): the stride on the
   * 3x3 instead of the first 1x1, and no convolution biases.
   */
  | 'bottleneck-v1.5'
  /** Two 3x3 convolutions (ResNet18/34, torchvision structure). */
  | 'basic';

/** Base filters of the stages conv2..conv5. */
export const STAGE_FILTERS = [64, 128, 256, 512] as const;

/**
 * The `stack_fn` for a block type and blocks per stage (one count per stage conv2..conv5), with
 * Keras's strides: v1 and basic keep stride 1 in conv2; v2 keeps stride 1 in conv5.
 * `options.bnEpsilon` sets every BatchNormalization's epsilon (default Keras's 1.001e-5).
 */
export function stackFnFor(blockType: BlockType, blocksPerStage: readonly number[], options: BatchNormOptions = {}): StackFn {
  if (blocksPerStage.length !== STAGE_FILTERS.length || !blocksPerStage.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(
      `blocksPerStage must give ${STAGE_FILTERS.length} positive integers (stages conv2..conv5), got ${JSON.stringify(blocksPerStage)}`,
    );
  }
  if (blockType === 'preact-bottleneck' && blocksPerStage.some((n) => n < 2)) {
    throw new Error(`pre-activation stages need at least 2 blocks each, got ${JSON.stringify(blocksPerStage)}`);
  }
  const last = STAGE_FILTERS.length - 1;
  const { bnEpsilon } = options;
  return (x, { seed } = {}) =>
    STAGE_FILTERS.reduce((y, filters, i) => {
      const name = `conv${i + 2}`;
      const blocks = blocksPerStage[i];
      switch (blockType) {
        case 'bottleneck':
          return bottleneckStack(y, filters, blocks, { name, stride1: i === 0 ? 1 : 2, seed, bnEpsilon });
        case 'bottleneck-v1.5':
          return bottleneckStack(y, filters, blocks, { name, stride1: i === 0 ? 1 : 2, seed, bnEpsilon, strideAt: '3x3', useBias: false });
        case 'preact-bottleneck':
          return preactBottleneckStack(y, filters, blocks, { name, stride1: i === last ? 1 : 2, seed });
        case 'basic':
          return basicStack(y, filters, blocks, { name, stride1: i === 0 ? 1 : 2, seed, bnEpsilon });
        default:
          throw new Error(`Unknown blockType ${JSON.stringify(blockType)}; use 'bottleneck', 'bottleneck-v1.5', 'preact-bottleneck' or 'basic'`);
      }
    }, x);
}
