// Platform-neutral entry: works in Node and the browser (no fs, no DOM).
export type { Batch, BatchOptions, DatasetSplits, FitMode, ImageDataset, OnError, RgbImage } from './core/types';
export { normalizeInPlace, checkNormalization, NORMALIZATION_PRESETS, type NormalizationPreset } from './core/normalization';
export type { AugmentationOptions } from './core/augmentation';
export type { ExampleSource } from './core/example-source';
export { PipelineDataset, type PipelineOptions, type SkippedExample } from './core/pipeline';
export { stratifiedSplit, type SplitOptions, type SplitIndices } from './core/split';
export { UnreadableExampleError } from './core/unreadable-example';
export { arrayDataset, arraySplits, type ArrayDatasetInput } from './core/arrays';
export { oneHot, classMapToJson, classMapFromJson, type ClassMap } from './core/labels';
export { epochOrder } from './core/rng';
export { IMAGE_EXTENSIONS } from './core/class-folders';
export { SHAPE_NAMES, type ShapeName } from './core/shapes';
export {
  syntheticShapes,
  syntheticShapesSplits,
  SYNTHETIC_DIFFICULTIES,
  type SyntheticDifficulty,
  type SyntheticShapesOptions,
  type SyntheticShapesSplitOptions,
} from './core/synthetic';
