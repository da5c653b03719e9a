import type * as tf from '@tensorflow/tfjs';
import { exportOnnx, type ClassScore, type OnnxFileMetadata } from '@resnet-ts/onnx';
import { OnnxEngine } from '@resnet-ts/onnx/node';

/** What `resnet predict` needs from an engine, whichever it is. */
export interface OnnxPredictor {
  /** [height, width, channels] the images must have. */
  inputSize: [number, number, number];
  /** Class names stored in the ONNX file, if any. */
  classNames?: string[];
  metadata: OnnxFileMetadata;
  /** Ranks the classes of a batch of preprocessed NHWC float32 images. */
  classify(images: Float32Array, batchSize: number, topK: number): Promise<ClassScore[][]>;
  dispose(): Promise<void>;
}

export interface OnnxPredictorOptions {
  /** onnxruntime intra-op threads (0: all cores). Pass the CLI's `--threads`. */
  threads?: number;
  /** Class names to use when the file has none (e.g. from the run's labels). */
  classNames?: readonly string[];
}

/**
 * An onnxruntime predictor from an `.onnx` file, or from a tfjs model exported in memory (so
 * `--engine onnx` works on any run or registry model without a prior `resnet export`).
 */
export async function createOnnxPredictor(source: string | tf.LayersModel, options: OnnxPredictorOptions = {}): Promise<OnnxPredictor> {
  const bytes = typeof source === 'string' ? source : exportOnnx(source, { metadata: { classNames: options.classNames } });
  const engine = await OnnxEngine.load(bytes, { intraOpThreads: options.threads ?? 0 });
  const classNames = engine.classNames ?? (options.classNames ? [...options.classNames] : undefined);
  return {
    inputSize: engine.inputSize,
    classNames,
    metadata: engine.metadata,
    async classify(images, batchSize, topK) {
      const ranked = await engine.classify(images, batchSize, { topK });
      if (engine.classNames || !classNames) return ranked;
      return ranked.map((row) => row.map((score) => ({ ...score, label: classNames[score.index] ?? score.label })));
    },
    dispose: () => engine.dispose(),
  };
}
