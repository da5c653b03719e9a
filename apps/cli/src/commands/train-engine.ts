import { isOnnxRuntimeAvailable, loadOnnxRuntime } from '@resnet-ts/onnx/node';
import { onnxTrainingSupport } from '@resnet-ts/onnx-training';
import { onnxTrainingEngine, onnxTrainingEngineName } from '@resnet-ts/onnx-training/node';
import { tfjsEngine, type OptimizerSpec, type StepEngineFactory } from '@resnet-ts/trainer';
import type * as tf from '@tensorflow/tfjs';
import { CliError, UsageError } from '../errors';

/** What `--engine` takes: `auto` picks onnxruntime when it loads and can train the model, else tfjs. */
export const ENGINE_CHOICES = ['auto', 'onnx', 'tfjs'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];
/**
 * The default engine: onnxruntime where it loads and can train the model (on the bench about 2.7x
 * the wasm step on ResNet50 64x64 b32), else the tfjs step with a one-line notice.
 */
export const DEFAULT_ENGINE: EngineChoice = 'auto';
/** onnxruntime execution providers `--execution-provider` takes. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface EngineRequest {
  engine?: EngineChoice;
  executionProvider?: ExecutionProvider;
  /** The global --threads: onnxruntime's intra-op threads. */
  threads?: number;
  /** The tfjs backend in use, for the tfjs engine's name. */
  backend: string;
}

export interface ResolvedEngine {
  factory: StepEngineFactory;
  /** As the start-up line shows it, e.g. `onnxruntime (cpu, 2 threads)`. */
  name: string;
  /** The one-line reason `auto` fell back to tfjs. */
  notice?: string;
}

/** Flag combinations that cannot work, before anything is opened (exit 2). */
export function checkEngineFlags(request: Pick<EngineRequest, 'engine' | 'executionProvider'>): void {
  if (request.executionProvider !== undefined && request.engine === 'tfjs') {
    throw new UsageError(`--execution-provider ${request.executionProvider} selects an onnxruntime provider: it needs --engine onnx or auto, not tfjs`);
  }
}

/**
 * The step engine for `model`: `tfjs`, `onnx` (an error naming the layer or setting it cannot
 * train, or how to install onnxruntime-node) or `auto` (onnx when possible, else tfjs and a notice).
 */
export async function resolveEngine(request: EngineRequest, model: tf.LayersModel, optimizer: OptimizerSpec): Promise<ResolvedEngine> {
  const choice = request.engine ?? DEFAULT_ENGINE;
  const tfjs: ResolvedEngine = { factory: tfjsEngine, name: `tfjs (${request.backend})` };
  if (choice === 'tfjs') return tfjs;
  const options = { executionProviders: [request.executionProvider ?? 'cpu'], ...(request.threads !== undefined ? { intraOpThreads: request.threads } : {}) };
  const onnx: ResolvedEngine = { factory: onnxTrainingEngine(options), name: onnxTrainingEngineName(options) };
  if (choice === 'onnx') {
    await loadOnnxRuntime().catch((error: Error) => {
      throw new CliError(`--engine onnx: ${error.message}`);
    });
    const support = onnxTrainingSupport(model, optimizer);
    if (!support.supported) throw new CliError(`--engine onnx: the onnxruntime engine cannot train ${model.name}: ${support.reason}. Use --engine tfjs (or auto).`);
    return onnx;
  }
  if (!(await isOnnxRuntimeAvailable())) return { ...tfjs, notice: `resnet: training on ${tfjs.name}: onnxruntime-node is not installed (npm i onnxruntime-node@1.30.0 for --engine onnx)` };
  const support = onnxTrainingSupport(model, optimizer);
  if (!support.supported) return { ...tfjs, notice: `resnet: training on ${tfjs.name}: the onnxruntime engine cannot train this model (${support.reason})` };
  return onnx;
}
