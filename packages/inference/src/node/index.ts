// Node-only entry: predictors on files (tfjs folders, run folders, .onnx files), onnxruntime-node,
// and image files decoded in worker threads ahead of the model.
export { openPredictor, type OpenPredictorOptions } from './open-predictor';
export type { OpenedPredictor } from './deferred-predictor';
export { onnxPredictor, type OnnxPredictorOptions } from './onnx-predictor';
export { resolveEngine, isOnnxFile } from './engine-choice';
export { classifyFiles, type ClassifyFilesOptions, type ClassifyFilesResult, type FilePrediction, type FileFailure } from './classify-files';
export { DecodedBatches, ImageDecodeError, DEFAULT_DECODE_AHEAD_BYTES, type DecodedBatchesOptions, type DecodedBatch } from './decoded-batches';
export { listImageFiles } from './image-files';
