// Platform-neutral entry: works in Node and the browser (no fs, no DOM).
export type { Batch, BatchOptions, DatasetSplits, FitMode, ImageDataset, OnError, RgbImage } from './core/types';
export { Rng, RngPurpose, hashInts, permutation, epochOrder } from './core/rng';
export { resizeRgb, resampleBilinear, fitRegion, regionMap, toRgb, type Affine, type ResizeOptions } from './core/resample';
export { normalizeInPlace, checkNormalization, NORMALIZATION_PRESETS, type NormalizationPreset } from './core/normalization';
export {
  augmentExample,
  evalTransform,
  mixBatch,
  resolveAugmentation,
  type AugmentationOptions,
  type ResolvedAugmentation,
} from './core/augmentation';
export { subsetSource, type ExampleSource } from './core/example-source';
export { PipelineDataset, resolveImageSize, type PipelineOptions, type SkippedExample } from './core/pipeline';
export { stratifiedSplit, type SplitIndices, type SplitOptions } from './core/split';
export { arrayDataset, arraySplits, arraySource, splitSource, type ArrayDatasetInput } from './core/arrays';
export { oneHot, classMapToJson, classMapFromJson, sortClassNames, type ClassMap } from './core/labels';
export { groupByClassFolder, IMAGE_EXTENSIONS, type ClassFolderEntry } from './core/class-folders';
export { SHAPE_NAMES, insideShape, type ShapeName } from './core/shapes';
export {
  syntheticShapes,
  syntheticShapesSplits,
  drawShapeExample,
  SYNTHETIC_DIFFICULTIES,
  type ShapeDrawingOptions,
  type SyntheticDifficulty,
  type SyntheticShapesOptions,
  type SyntheticShapesSplitOptions,
} from './core/synthetic';
