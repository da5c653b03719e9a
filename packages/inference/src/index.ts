// Platform-neutral entry: one predictor interface, and its tfjs implementation (Node and browser).
// onnxruntime, files on disk and decode-ahead batching live in `@resnet-ts/inference/node`.
export { ENGINE_CHOICES, EngineError, type EngineChoice, type InferenceEngine } from './engine';
export { ClassNamesMismatchError } from './class-names-error';
export type { ClassifyOptions, Predictor, PredictorInput, PredictorOverrides } from './predictor';
export { tfjsPredictor, type TfjsPredictor, type TfjsPredictorOptions } from './tfjs-predictor';
