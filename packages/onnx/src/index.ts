export { exportOnnx } from './export-onnx';
export { OnnxExportError } from './errors';
export type { OnnxExportOptions, OnnxInputLayout, OnnxModelMetadata } from './options';
export { readOnnxMetadata, fixedInputSize, type OnnxFileMetadata } from './metadata';
export { supportedLayerClasses } from './convert/converters';
export { decodeOnnxModel } from './proto/onnx-codec';
export type { OnnxModel, OnnxGraph, OnnxNode, OnnxTensor, OnnxAttribute, OnnxValueInfo } from './proto/types';
export { ONNX_OPSET } from './proto/onnx-schema';
export { softmaxRows } from './softmax';
export {
  buildTrainingGraph,
  buildForwardGraph,
  type ForwardGraph,
  type ForwardGraphOptions,
  trainableLayerClasses,
  graphOptimizerNames,
  type TrainingGraph,
  type TrainingGraphOptions,
  type TrainingGraphSlot,
  type TrainingGraphWeight,
  toGraphLayout,
  toKerasLayout,
  trainingWeightLayouts,
  type GraphLayout,
} from './training';
