/** The engines a predictor runs on: tfjs (any backend) or onnxruntime-node. */
export type InferenceEngine = 'tfjs' | 'onnx';

/** What a caller may ask for: an engine, or `auto` (onnxruntime-node when it is installed, else tfjs). */
export const ENGINE_CHOICES = ['auto', 'onnx', 'tfjs'] as const;
export type EngineChoice = (typeof ENGINE_CHOICES)[number];

/**
 * The engine asked for cannot run (here, or this model). `problem` completes "engine <name> ..."
 * and says what to do, so a CLI can name its own flag: `--engine ${engine} ${problem}`.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';

  constructor(
    readonly engine: EngineChoice,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`engine ${engine} ${problem}`, options);
  }
}
