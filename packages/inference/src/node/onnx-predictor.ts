import type * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '@resnet-ts/onnx';
import { OnnxEngine } from '@resnet-ts/onnx/node';
import { readModelCard, type ModelCard } from '@resnet-ts/zoo';
import type { Predictor, PredictorOverrides } from '../predictor';
import { imageCount, predictorHeader } from '../predictor-header';

export interface OnnxPredictorOptions extends PredictorOverrides {
  /** onnxruntime intra-op threads; 0 (the default) uses every core. */
  threads?: number;
  /** The card of a tfjs model given as the source; default: read from the model. Files carry their own. */
  card?: ModelCard;
  /** What was assumed, when `card` was filled in for a model without one. */
  cardNotice?: string;
}

/**
 * A predictor on onnxruntime-node: an `.onnx` file (path or bytes, with the model card in its
 * metadata), or a tfjs model exported in memory, so any run or registry model runs on onnxruntime
 * without a prior `resnet export`. A tfjs model stays the caller's.
 */
export async function onnxPredictor(source: string | Uint8Array | tf.LayersModel, options: OnnxPredictorOptions = {}): Promise<Predictor> {
  const model = typeof source === 'string' || source instanceof Uint8Array ? undefined : source;
  const card = model ? (options.card ? { card: options.card, notice: options.cardNotice } : readModelCard(model)) : undefined;
  const engine = await OnnxEngine.load(model ? exportOnnx(model) : (source as string | Uint8Array), { intraOpThreads: options.threads ?? 0 });
  try {
    const inputSize = engine.inputSize; // an error naming input_size when the file has no fixed image size
    const read = card ?? engine.metadata.modelCard;
    if (!read) throw new Error('the ONNX model has no model card');
    const header = predictorHeader(read, { inputSize, ...(model ? { outputs: model.outputs[0].shape.at(-1) } : {}) }, options);
    return {
      ...header,
      ready: async () => 'onnx',
      classify: (images, { topK } = {}) => engine.classify(images, imageCount(images, header.input.size), { topK, classNames: header.classNames }),
      dispose: () => engine.dispose(),
    };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}
