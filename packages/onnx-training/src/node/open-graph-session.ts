import type * as Ort from 'onnxruntime-node';
import { createInferenceSession, type OnnxSessionOptions } from '@resnet-ts/onnx/node';
import { OnnxTrainingError } from './errors';

/** Opens a session on a graph the engine built; a failure names the model, the graph and the providers. */
export async function openGraphSession(bytes: Uint8Array, options: OnnxSessionOptions, what: string): Promise<Ort.InferenceSession> {
  try {
    return await createInferenceSession(bytes, options);
  } catch (error) {
    const providers = (options.executionProviders ?? ['cpu']).join(', ');
    const hint = providers.includes('cuda')
      ? ' The cuda provider needs onnxruntime-node\'s CUDA build (linux x64: install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12, CUDA 12 and cuDNN 9 on the library path); --execution-provider cpu runs without it.'
      : '';
    throw new OnnxTrainingError(`onnxruntime could not open ${what} (execution providers: ${providers}): ${error instanceof Error ? error.message : String(error)}.${hint}`, { cause: error });
  }
}
