import * as tf from '@tensorflow/tfjs';
import { fixedInputSize, OnnxExportError } from '@resnet-ts/onnx';
import { predict } from '@resnet-ts/trainer';
import { readOnnxMetadataFile } from '@resnet-ts/onnx/node';
import { loadRunModel } from '@resnet-ts/trainer/node';
import type { ClassScore, ModelCard } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { CliError } from '../errors';
import { warnLine } from '../output';
import { resolvePredictEngine, type PredictEngine, type PredictEngineChoice } from './engine-choice';
import { createOnnxPredictor, type OnnxPredictor } from './onnx-predictor';

/** What `resnet predict` runs batches on, whichever engine it is. */
export interface PredictRunner {
  engine: PredictEngine;
  /** Ranks the classes of `batchSize` preprocessed NHWC float32 images. */
  predict(images: Float32Array, batchSize: number, topK: number): Promise<ClassScore[][]>;
}

/**
 * The model `resnet predict` was given, known from its header (input size, model card) before
 * its engine is ready, so that decoding can start while the engine loads.
 */
export interface PredictModel {
  /** What the JSON calls `model`: the run, folder or .onnx file loaded. */
  source: string;
  /** [height, width, channels] of the images. */
  inputSize: [number, number, number];
  /** The model's card: normalization and class names. */
  card: ModelCard;
  /** What was assumed, when the model has no card. */
  cardNotice?: string;
  /** The engine, once loaded (onnxruntime session creation, in-memory export): the slow part. */
  ready(): Promise<PredictRunner>;
  /** Frees the model, whether or not `ready` was called. */
  dispose(): Promise<void>;
}

const isOnnxFile = (path: string) => /\.onnx$/i.test(path);

/**
 * Opens `<model>` for `--engine`: an `.onnx` file runs on onnxruntime; a run or tfjs folder loads in
 * tfjs and, for the onnx engine, is exported in memory (auto falls back to tfjs, with a notice, when
 * a layer has no ONNX export).
 */
export async function openPredictModel(
  modelPath: string,
  choice: PredictEngineChoice,
  context: CliContext,
  classNames?: readonly string[],
): Promise<PredictModel> {
  const engine = await resolvePredictEngine(choice, modelPath);
  const threads = context.globals().threads;
  if (isOnnxFile(modelPath)) return openOnnxFile(modelPath, { threads, classNames });

  await context.backend();
  const loaded = await loadRunModel(modelPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const [, height, width, channels] = loaded.model.inputs[0].shape as number[];
  const names = classNames ?? loaded.card.classNames;
  const tfjsRunner: PredictRunner = {
    engine: 'tfjs',
    predict: (images, batchSize, topK) => {
      const batch = tf.tensor4d(images, [batchSize, height, width, channels]);
      return predict(loaded.model, batch, { topK, ...(names ? { classNames: names } : {}) }).finally(() => batch.dispose());
    },
  };
  // Set once the weights live in an onnxruntime session; the tfjs model is disposed then.
  let onnx: OnnxPredictor | undefined;
  let runner: Promise<PredictRunner> | undefined;
  const load = async (): Promise<PredictRunner> => {
    if (engine === 'tfjs') return tfjsRunner;
    try {
      onnx = await createOnnxPredictor(loaded.model, { threads, classNames: names });
    } catch (error) {
      if (choice === 'auto' && error instanceof OnnxExportError) {
        warnLine(`--engine auto: ${error.message}; running on tfjs instead`);
        return tfjsRunner;
      }
      throw error instanceof OnnxExportError ? new CliError(`--engine onnx: ${error.message}`) : error;
    }
    loaded.model.dispose();
    return onnx;
  };
  return {
    source: loaded.source,
    inputSize: [height, width, channels],
    card: loaded.card,
    ...(loaded.cardNotice ? { cardNotice: loaded.cardNotice } : {}),
    ready: () => (runner ??= load()),
    async dispose() {
      await runner?.catch(() => undefined);
      if (onnx) await onnx.dispose();
      else loaded.model.dispose();
    },
  };
}

/** An exported `.onnx` file: its metadata now, its onnxruntime session on `ready`. */
async function openOnnxFile(path: string, options: { threads?: number; classNames?: readonly string[] }): Promise<PredictModel> {
  const fail = (error: Error): never => {
    throw new CliError(error.message.startsWith(path) ? error.message : `${path}: ${error.message}`);
  };
  // Only the metadata is read here; onnxruntime reads the weights itself when the session starts.
  const metadata = await readOnnxMetadataFile(path).catch(fail);
  let size: [number, number, number];
  try {
    size = fixedInputSize(metadata);
  } catch (error) {
    return fail(error as Error);
  }
  if (!metadata.modelCard) return fail(new Error(`input_size ${JSON.stringify(metadata.inputSize)} is not an image [height, width, channels]`));
  const { card, notice } = metadata.modelCard;
  let runner: Promise<OnnxPredictor> | undefined;
  return {
    source: path,
    inputSize: size,
    card,
    ...(notice ? { cardNotice: notice } : {}),
    ready: () => (runner ??= createOnnxPredictor(path, options).catch(fail)),
    async dispose() {
      const predictor = await runner?.catch(() => undefined);
      await predictor?.dispose();
    },
  };
}
