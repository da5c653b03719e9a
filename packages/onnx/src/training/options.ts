import { OnnxExportError } from '../errors';
import type { GraphLayout } from './weight-layout';

/** What {@link buildTrainingGraph} builds: one training step of a model as one ONNX graph. */
export interface TrainingGraphOptions {
  /**
   * The trainer's optimizer spec as plain data, `{ type: 'adam' | 'sgd' | 'rmsprop' | 'lion' | 'lamb', ...settings }`,
   * with the names and defaults of @resnet-ts/trainer's optimizers. Other types throw naming the type.
   */
  optimizer: { type: string; [setting: string]: unknown };
  /** Mixes the targets with a uniform distribution: y * (1 - s) + s / classes. */
  labelSmoothing: number;
  /** The model outputs logits (no softmax layer) rather than probabilities. */
  fromLogits: boolean;
  /** Clips the gradients to this global L2 norm (0 = off), as the trainer's `clipNorm`. */
  clipNorm: number;
  /** k of the top-k count. */
  topK: number;
  /** Weight key (the variable's `originalName`, the trainer's `weightKey`) -> learning-rate multiplier; missing = 1. */
  lrScales?: Record<string, number>;
  /** Fixed batch size, or a symbolic dimension name (default `'batch'`). */
  batchSize?: number | string;
  /**
   * Also output every trainable weight's raw gradient (before clipping) as `gradients`: for tests
   * and debugging; an engine leaves it off.
   */
  outputGradients?: boolean;
}

/** The graph and the names of its values. Every input and output is float32. */
export interface TrainingGraph {
  /** The ONNX ModelProto. */
  bytes: Uint8Array;
  /**
   * Per-step inputs: images NHWC [B, H, W, C] (or features [B, F] for a head on cached features); labels [B, classes] (one-hot or soft); lr, step
   * (1-based, as a float) and weightDecay are scalars of shape [].
   */
  inputs: { images: string; labels: string; lr: string; step: string; weightDecay: string };
  /**
   * Every model weight the step reads, in `model.weights` order: trainable weights and BatchNorm
   * moving statistics. `output` holds its new value; absent for weights the step leaves unchanged
   * (frozen layers, the moving statistics of a frozen BatchNorm).
   */
  weights: TrainingGraphWeight[];
  /** Optimizer slots keyed as the trainer's Optimizer keys them (`<weightKey>/<slot>`); zeros at step 1. */
  slots: TrainingGraphSlot[];
  /**
   * Scalars: loss = the batch-mean loss, correct / topKCorrect = counts over the batch, gradNorm =
   * the global L2 norm of the gradients before clipping.
   */
  outputs: { loss: string; correct: string; topKCorrect: string; gradNorm: string };
  /**
   * How many of the graph's nodes, in order, belong to each part of the step (the forward pass, the
   * loss and counts, the backward pass, the optimizer with the gradient norm; the rest emit outputs):
   * for profilers, which report time per node.
   */
  nodePhases: { forward: number; loss: number; backward: number; optimizer: number };
  /** With `outputGradients`: each trainable weight's raw gradient, in `weights` order. */
  gradients?: Array<{ key: string; output: string }>;
}

export interface TrainingGraphWeight {
  key: string;
  /** The keras shape. */
  shape: number[];
  /** Set when the graph holds the weight transposed (Conv2D kernels, OIHW): feed and read it through toGraphLayout/toKerasLayout. */
  layout?: GraphLayout;
  /** The shape of the graph input and output: `layout.shape`, else `shape`. */
  inputShape: number[];
  input: string;
  output?: string;
  trainable: boolean;
}

export interface TrainingGraphSlot {
  key: string;
  /** The keras shape of its weight. */
  shape: number[];
  /** Its weight's layout in the graph, if any. */
  layout?: GraphLayout;
  /** The graph input and output are flat, `[size]`, with the values in the weight's graph layout. */
  inputShape: number[];
  input: string;
  output: string;
}

export interface ResolvedTrainingGraphOptions extends Required<Omit<TrainingGraphOptions, 'lrScales'>> {
  lrScales: Readonly<Record<string, number>>;
}

export function resolveTrainingGraphOptions(options: TrainingGraphOptions): ResolvedTrainingGraphOptions {
  const number = (name: string, value: unknown, min: number): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new OnnxExportError(`buildTrainingGraph: option '${name}' must be a finite number >= ${min}, got ${String(value)}`);
    }
    return value;
  };
  if (!options.optimizer || typeof options.optimizer.type !== 'string') {
    throw new OnnxExportError("buildTrainingGraph: option 'optimizer' must be a spec like { type: 'adam' }");
  }
  const labelSmoothing = number('labelSmoothing', options.labelSmoothing, 0);
  if (labelSmoothing >= 1) throw new OnnxExportError(`buildTrainingGraph: option 'labelSmoothing' must be below 1, got ${labelSmoothing}`);
  return {
    optimizer: options.optimizer,
    labelSmoothing,
    fromLogits: Boolean(options.fromLogits),
    clipNorm: number('clipNorm', options.clipNorm, 0),
    topK: number('topK', options.topK, 1),
    lrScales: options.lrScales ?? {},
    batchSize: options.batchSize ?? 'batch',
    outputGradients: options.outputGradients ?? false,
  };
}
