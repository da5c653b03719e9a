export { BN_EPSILON, TORCH_BN_EPSILON, CHANNEL_AXIS, STEM_FILTERS, type BatchNormOptions } from './constants';
export { stem, type StemOptions } from './stem';
export { glorotUniformKernel, initializerSeed, type KernelInitializer, type SeedOptions } from './initializers';
export {
  bottleneckBlock,
  bottleneckStack,
  BOTTLENECK_EXPANSION,
  type BottleneckBlockOptions,
  type BottleneckStackOptions,
  type BottleneckStrideAt,
  type BottleneckStyleOptions,
  type StackOptions,
} from './bottleneck';
export {
  preactBottleneckBlock,
  preactBottleneckStack,
  postActivation,
  type PreactBottleneckBlockOptions,
} from './preact-bottleneck';
export { basicBlock, basicStack, type BasicBlockOptions } from './basic';
export {
  notebookToKerasName,
  kerasToNotebookName,
  type KerasToNotebookOptions,
  type NotebookBlockNaming,
} from './naming';
