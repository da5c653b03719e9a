export { exportOnnx } from './export-onnx';
export { OnnxExportError } from './errors';
export {
  defaultOnnxExportOptions,
  resolveOnnxExportOptions,
  ONNX_PACKAGE_VERSION,
  type OnnxExportOptions,
  type OnnxInputLayout,
  type OnnxModelMetadata,
  type ResolvedOnnxExportOptions,
} from './options';
export { readOnnxMetadata, fixedInputSize, ONNX_METADATA_KEYS, type OnnxFileMetadata } from './metadata';
export { supportedLayerClasses } from './convert/converters';
export { decodeOnnxModel } from './proto/onnx-codec';
export type { OnnxModel, OnnxGraph, OnnxNode, OnnxTensor, OnnxAttribute, OnnxValueInfo } from './proto/types';
export { ONNX_OPSET, ONNX_IR_VERSION } from './proto/onnx-schema';
export { softmaxRows } from './softmax';
