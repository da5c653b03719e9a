import { Option } from 'commander';
import { isOnnxRuntimeAvailable } from '@resnet-ts/onnx/node';
import { CliError } from '../errors';

export const PREDICT_ENGINES = ['auto', 'onnx', 'tfjs'] as const;
export type PredictEngineChoice = (typeof PREDICT_ENGINES)[number];
export type PredictEngine = Exclude<PredictEngineChoice, 'auto'>;

/** `--engine auto|onnx|tfjs` for `resnet predict`. */
export function engineOption(): Option {
  return new Option('--engine <name>', 'inference engine; auto uses onnxruntime-node when it is installed, else tfjs')
    .choices(PREDICT_ENGINES)
    .default('auto');
}

/**
 * Resolves `--engine`: `auto` picks onnx when onnxruntime-node loads, tfjs otherwise; `onnx`
 * without onnxruntime-node is an error that says how to install it. An `.onnx` model can only run on onnx.
 */
export async function resolvePredictEngine(choice: PredictEngineChoice, modelPath?: string): Promise<PredictEngine> {
  const onnxFile = modelPath !== undefined && /\.onnx$/i.test(modelPath);
  if (choice === 'tfjs' && onnxFile) {
    throw new CliError(`--engine tfjs cannot run ${modelPath}: an .onnx file runs on onnxruntime (--engine onnx or auto)`);
  }
  if (choice === 'tfjs') return 'tfjs';
  if (await isOnnxRuntimeAvailable()) return 'onnx';
  if (choice === 'onnx' || onnxFile) {
    throw new CliError(
      `--engine onnx: onnxruntime-node is not installed. Install it with \`npm install onnxruntime-node@1.30.0\` ` +
        '(offline: set the npm config onnxruntime-node-install-cuda=skip), or use --engine tfjs.',
    );
  }
  return 'tfjs';
}
