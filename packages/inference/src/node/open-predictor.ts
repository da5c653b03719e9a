import { fixedInputSize, OnnxExportError } from '@resnet-ts/onnx';
import { readOnnxMetadataFile } from '@resnet-ts/onnx/node';
import { loadRunModel } from '@resnet-ts/trainer/node';
import type { EngineChoice } from '../engine';
import { EngineError } from '../engine';
import { ClassNamesMismatchError } from '../class-names-error';
import type { PredictorOverrides } from '../predictor';
import { predictorHeader } from '../predictor-header';
import { tfjsPredictor, type TfjsPredictor } from '../tfjs-predictor';
import { deferredPredictor, type OpenedPredictor } from './deferred-predictor';
import { isOnnxFile, resolveEngine } from './engine-choice';
import { onnxPredictor } from './onnx-predictor';

export interface OpenPredictorOptions extends PredictorOverrides {
  /** Default `auto`: onnxruntime-node when it is installed, else tfjs. */
  engine?: EngineChoice;
  /** onnxruntime intra-op threads; 0 (the default) uses every core. */
  threads?: number;
  /** Called before a tfjs model loads (not for an `.onnx` file): start the tfjs backend you want here. */
  beforeTfjsLoad?: () => Promise<unknown>;
  /** One-line messages, e.g. that `auto` runs on tfjs because a layer has no ONNX export. Default: console.warn. */
  onWarning?: (message: string) => void;
}

/**
 * Opens a model for prediction: a run folder of `resnet train`, a tfjs model folder, or an `.onnx`
 * file. It resolves with the model card read (input size, normalization, class names) and the
 * engine still to load, on the first `ready()` or `classify`: an `.onnx` file runs on
 * onnxruntime; a tfjs folder runs on tfjs or, for the onnx engine, is exported in memory (`auto`
 * falls back to tfjs, with a warning, when a layer has no ONNX export).
 */
export async function openPredictor(path: string, options: OpenPredictorOptions = {}): Promise<OpenedPredictor> {
  const choice = options.engine ?? 'auto';
  const engine = await resolveEngine(choice, path);
  if (isOnnxFile(path)) return openOnnxFile(path, options);

  await options.beforeTfjsLoad?.();
  const loaded = await loadRunModel(path);
  let tfjs: TfjsPredictor;
  try {
    tfjs = tfjsPredictor(loaded.model, { ...options, card: loaded.card, cardNotice: loaded.cardNotice, disposeModel: true });
  } catch (error) {
    loaded.model.dispose();
    throw error instanceof ClassNamesMismatchError ? error.from(loaded.source) : new Error(`${loaded.source}: ${(error as Error).message}`, { cause: error });
  }
  const load = async () => {
    if (engine === 'tfjs') return tfjs;
    try {
      const onnx = await onnxPredictor(loaded.model, { ...options, card: loaded.card, cardNotice: loaded.cardNotice });
      // The weights live in the onnxruntime session now.
      loaded.model.dispose();
      return onnx;
    } catch (error) {
      if (!(error instanceof OnnxExportError)) throw error;
      if (choice !== 'auto') throw new EngineError(choice, `cannot run ${loaded.source}: ${error.message}`, { cause: error });
      (options.onWarning ?? console.warn)(`engine auto: ${error.message}; running on tfjs instead`);
      return tfjs;
    }
  };
  return deferredPredictor(loaded.source, tfjs, load, tfjs);
}

/** An `.onnx` file: its metadata now (not its weights), its onnxruntime session on `ready`. */
async function openOnnxFile(path: string, options: OpenPredictorOptions): Promise<OpenedPredictor> {
  const fail = (error: Error): never => {
    if (error instanceof ClassNamesMismatchError) throw error.source ? error : error.from(path);
    throw new Error(error.message.startsWith(path) ? error.message : `${path}: ${error.message}`, { cause: error });
  };
  // onnxruntime reads the weights itself when the session starts.
  const metadata = await readOnnxMetadataFile(path).catch(fail);
  try {
    const inputSize = fixedInputSize(metadata);
    if (!metadata.modelCard) throw new Error(`input_size ${JSON.stringify(metadata.inputSize)} is not an image [height, width, channels]`);
    const header = predictorHeader(metadata.modelCard, { inputSize }, options);
    return deferredPredictor(path, header, () => onnxPredictor(path, options).catch(fail), { dispose: async () => undefined });
  } catch (error) {
    return fail(error as Error);
  }
}
