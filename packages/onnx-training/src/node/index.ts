export { onnxTrainingEngine, onnxTrainingEngineName, type OnnxTrainingEngineOptions } from './onnx-training-engine';
export { OnnxTrainingError } from './errors';
