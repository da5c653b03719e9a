export { onnxTrainingSupport, type OnnxTrainingSupport } from './support';
