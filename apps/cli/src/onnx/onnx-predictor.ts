import type * as tf from '@tensorflow/tfjs';
import { exportOnnx, type OnnxFileMetadata } from '@resnet-ts/onnx';
import { OnnxEngine } from '@resnet-ts/onnx/node';
import type { ClassScore } from '@resnet-ts/zoo';

/** What `resnet predict` needs from the onnx engine: the tfjs path's `predict` output, batch by batch. */
export interface OnnxPredictor {
  readonly engine: 'onnx';
  /** [height, width, channels] the images must have. */
  inputSize: [number, number, number];
  /** Class names in use: the caller's, else those stored in the ONNX file. */
  classNames?: string[];
  metadata: OnnxFileMetadata;
  /**
   * Ranks the classes of a batch of preprocessed NHWC float32 images; same shape and values as
   * `predict()` of @resnet-ts/trainer (probabilities, softmax applied to a logits head).
   */
  predict(images: Float32Array, batchSize: number, topK: number): Promise<ClassScore[][]>;
  dispose(): Promise<void>;
}

export interface OnnxPredictorOptions {
  /** onnxruntime intra-op threads (0: all cores). Pass the CLI's `--threads`. */
  threads?: number;
  /** Class names (e.g. `--class-names` or the run's); they win over those in the file. */
  classNames?: readonly string[];
}

/**
 * An onnxruntime predictor from an `.onnx` file, or from a tfjs model exported in memory (so
 * `--engine onnx` works on any run or registry model without a prior `resnet export`).
 */
export async function createOnnxPredictor(source: string | tf.LayersModel, options: OnnxPredictorOptions = {}): Promise<OnnxPredictor> {
  const file = typeof source === 'string' ? source : exportOnnx(source, { metadata: { classNames: options.classNames } });
  const engine = await OnnxEngine.load(file, { intraOpThreads: options.threads ?? 0 });
  const classNames = options.classNames ? [...options.classNames] : engine.classNames;
  return {
    engine: 'onnx',
    inputSize: engine.inputSize,
    classNames,
    metadata: engine.metadata,
    predict: (images, batchSize, topK) => engine.classify(images, batchSize, { topK, ...(classNames ? { classNames } : {}) }),
    dispose: () => engine.dispose(),
  };
}
