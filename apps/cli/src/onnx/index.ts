// ONNX pieces of the CLI: `resnet export --format onnx` and `resnet predict --engine auto|onnx|tfjs`.
export { engineOption, resolvePredictEngine, PREDICT_ENGINES, type PredictEngine, type PredictEngineChoice } from './engine-choice';
export { createOnnxPredictor, type OnnxPredictor, type OnnxPredictorOptions } from './onnx-predictor';
export { exportModelAsOnnx, printOnnxExportReport, type OnnxExportFlags, type OnnxExportReport, type OnnxExportContext } from './export-onnx-file';
export { addOnnxExportOptions, checkOnnxFlags, EXPORT_FORMATS } from './export-options';
export { openPredictModel, type PredictModel, type PredictRunner } from './open-predict-model';
