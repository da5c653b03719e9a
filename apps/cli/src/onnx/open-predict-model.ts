import type * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from '@resnet-ts/onnx';
import { loadRunModel } from '@resnet-ts/trainer/node';
import type { CliContext } from '../context';
import { CliError } from '../errors';
import { warnLine } from '../output';
import { resolvePredictEngine, type PredictEngine, type PredictEngineChoice } from './engine-choice';
import { createOnnxPredictor, type OnnxPredictor } from './onnx-predictor';

/** The model `resnet predict` runs: a tfjs model or an onnxruntime predictor, and what goes with it. */
export interface OpenedPredictModel {
  engine: PredictEngine;
  /** What the JSON calls `model`: the run, folder or .onnx file loaded. */
  source: string;
  /** [height, width, channels] of the images. */
  inputSize: [number, number, number];
  classNames?: string[];
  /** Normalization preset recorded with the model, if any. */
  normalization?: string;
  /** Set for the tfjs engine. */
  model?: tf.LayersModel;
  /** Set for the onnx engine. */
  onnx?: OnnxPredictor;
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
): Promise<OpenedPredictModel> {
  const engine = await resolvePredictEngine(choice, modelPath);
  const threads = context.globals().threads;
  if (isOnnxFile(modelPath)) {
    const onnx = await createOnnxPredictor(modelPath, { threads, classNames }).catch((error: Error) => {
      throw new CliError(`${modelPath}: ${error.message}`);
    });
    const normalization = onnx.metadata.preprocessing?.normalization;
    return {
      engine,
      source: modelPath,
      inputSize: onnx.inputSize,
      classNames: onnx.classNames,
      normalization: typeof normalization === 'string' ? normalization : undefined,
      onnx,
      dispose: () => onnx.dispose(),
    };
  }
  await context.backend();
  const loaded = await loadRunModel(modelPath).catch((error: Error) => {
    throw new CliError(error.message);
  });
  const [, height, width, channels] = loaded.model.inputs[0].shape as number[];
  const base = { source: loaded.source, inputSize: [height, width, channels] as [number, number, number], classNames: loaded.classNames, normalization: loaded.normalization };
  const disposeModel = async () => {
    loaded.model.dispose();
  };
  const asTfjs = (): OpenedPredictModel => ({ ...base, engine: 'tfjs', model: loaded.model, dispose: disposeModel });
  if (engine === 'tfjs') return asTfjs();
  let onnx: OnnxPredictor;
  try {
    onnx = await createOnnxPredictor(loaded.model, { threads, classNames: classNames ?? loaded.classNames });
  } catch (error) {
    if (choice === 'auto' && error instanceof OnnxExportError) {
      warnLine(`--engine auto: ${error.message}; running on tfjs instead`);
      return asTfjs();
    }
    loaded.model.dispose();
    throw error instanceof OnnxExportError ? new CliError(`--engine onnx: ${error.message}`) : error;
  }
  loaded.model.dispose();
  return { ...base, engine: 'onnx', onnx, dispose: () => onnx.dispose() };
}
