import { isOnnxRuntimeAvailable } from '@resnet-ts/onnx/node';
import { EngineError, type EngineChoice, type InferenceEngine } from '../engine';

const INSTALL_ONNXRUNTIME = 'install it with `npm install onnxruntime-node@1.30.0` (`ONNXRUNTIME_NODE_INSTALL=skip` in the environment skips its CUDA download)';

/** Whether a path names an ONNX file (which only onnxruntime runs) rather than a tfjs model or run folder. */
export const isOnnxFile = (path: string): boolean => /\.onnx$/i.test(path);

/**
 * The engine a choice runs on: `auto` picks onnx when onnxruntime-node loads, tfjs otherwise;
 * `onnx` without onnxruntime-node is an error that says how to install it. An `.onnx` model can
 * only run on onnx.
 */
export async function resolveEngine(choice: EngineChoice, modelPath?: string): Promise<InferenceEngine> {
  const onnxFile = modelPath !== undefined && isOnnxFile(modelPath);
  if (choice === 'tfjs' && onnxFile) throw new EngineError(choice, `cannot run ${modelPath}: an .onnx file runs on onnxruntime (engine onnx or auto)`);
  if (choice === 'tfjs') return 'tfjs';
  if (await isOnnxRuntimeAvailable()) return 'onnx';
  if (onnxFile) throw new EngineError(choice, `cannot run ${modelPath}: onnxruntime-node is not installed; ${INSTALL_ONNXRUNTIME}`);
  if (choice === 'onnx') throw new EngineError(choice, `needs onnxruntime-node, which is not installed: ${INSTALL_ONNXRUNTIME}, or use the tfjs engine`);
  return 'tfjs';
}
