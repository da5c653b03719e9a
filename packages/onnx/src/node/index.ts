export { OnnxEngine, type OnnxEngineOptions, type OnnxClassifyOptions } from './engine';
export { verifyOnnx, type OnnxVerifyOptions, type OnnxVerification } from './verify';
export { exportOnnxFile, OnnxVerificationError, type OnnxFileExportOptions, type OnnxFileExport } from './export-file';
export { readOnnxMetadataFile } from './metadata-file';
export { loadOnnxRuntime, isOnnxRuntimeAvailable, OnnxRuntimeUnavailableError, type OnnxRuntime } from './onnxruntime';
export { createInferenceSession, type OnnxSessionOptions } from './session';
