// Models: the generic builder and its options.
export { buildResNet, type ResNetArchitecture } from './models/build-resnet';
export type { ResNetOptions, ClassifierActivation, Pooling } from './models/options';
export { MAX_INPUT_CHANNELS, MAX_INPUT_SIZE, MIN_INPUT_SIZE } from './models/options';
export { stackFnFor, type StackFn, type BlockType } from './models/stages';

// Registry: timm-style listModels / createModel / getModelConfig / registerModel.
export { createModel, getModelConfig, listModels, registerModel, type RegisterModelOptions } from './registry/registry';
export {
  type ModelConfig,
  type PreprocessingConfig,
  type PreprocessingMode,
  CAFFE_PREPROCESSING,
  TF_PREPROCESSING,
  TORCH_PREPROCESSING,
} from './registry/model-config';

// Predictions: the one ranked-class shape and the one top-k every predictor uses.
export { topKClasses, topKIndices, type ClassScore, type TopKOptions } from './predictions/top-k';

// Training policy shared by the trainer and the ONNX training graph: which weights decay.
export { decays } from './training/weight-decay';

// Model card: what travels with a model (architecture, input size, classes, preprocessing, weights' origin).
export * from './card/index';

// Summary: Keras-like model.summary() as data and as text.
export { summarizeModel, type ModelSummary, type SummaryRow, type SummaryShape } from './summary/summarize';
export { formatSummary, type FormatSummaryOptions } from './summary/format';

// Weights in and out: Keras HDF5 import/export, checked tfjs model files, ImageNet helpers.
export * from './weights/index';
export * from './weights/tfjs/index';
export * from './imagenet/index';
