import type * as Ort from 'onnxruntime-node';
import { loadOnnxRuntime } from './onnxruntime';

/** onnxruntime session settings shared by the engine and the verifier. */
export interface OnnxSessionOptions {
  /** Threads inside one op; 0 (the default) lets onnxruntime use every core. */
  intraOpThreads?: number;
  /** Graph optimizations onnxruntime applies when loading ('all' fuses Conv+BN+Relu and more). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Execution providers in order of preference; `cpu` is always available. */
  executionProviders?: string[];
}

export const defaultOnnxSessionOptions = {
  intraOpThreads: 0,
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
} as const satisfies OnnxSessionOptions;

/** An onnxruntime session on a model file's path (read natively) or its bytes. */
export async function createInferenceSession(model: string | Uint8Array, options: OnnxSessionOptions = {}): Promise<Ort.InferenceSession> {
  const ort = await loadOnnxRuntime();
  const resolved = { ...defaultOnnxSessionOptions, ...options };
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: resolved.intraOpThreads,
    graphOptimizationLevel: resolved.graphOptimizationLevel,
    executionProviders: resolved.executionProviders,
  };
  return typeof model === 'string' ? ort.InferenceSession.create(model, sessionOptions) : ort.InferenceSession.create(model, sessionOptions);
}
