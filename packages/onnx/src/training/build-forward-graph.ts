import type * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from '../errors';
import { OnnxGraphBuilder } from '../graph/graph-builder';
import type { WeightInput } from './context';
import { addWeightInputs, checkStepModel, emitForward, encodeBuiltGraph, graphWeight } from './forward-pass';
import { GraphOps } from './graph-ops';
import type { TrainingGraphWeight } from './options';

export interface ForwardGraphOptions {
  /**
   * `scores`: inference (every BatchNorm on its moving statistics), output the model's scores.
   * `batchStatistics`: the training-mode forward, output every trainable BatchNorm's batch mean and
   * variance (what precise BN averages).
   */
  outputs: 'scores' | 'batchStatistics';
  /** Fixed batch size, or a symbolic dimension name (default `'batch'`). */
  batchSize?: number | string;
}

/**
 * A forward pass that reads its weights from graph inputs, as a training-step graph does (same
 * names and layouts), so an engine that holds the weights runs it without exporting the model.
 */
export interface ForwardGraph {
  bytes: Uint8Array;
  /** NHWC images [B, H, W, C] (or features [B, F]). */
  inputs: { images: string };
  /** Every model weight the forward reads; `output` is never set. */
  weights: TrainingGraphWeight[];
  /** With `outputs: 'scores'`: the model's output [B, classes] (probabilities or logits, as the model). */
  scores?: string;
  /** With `outputs: 'batchStatistics'`: per moving statistic (`<bn>/moving_mean`, `<bn>/moving_variance`), the output holding its batch value [C]. */
  batchStatistics: Array<{ key: string; output: string }>;
}

/** Builds a {@link ForwardGraph} of `model` (opset 18). Throws an OnnxExportError naming the first layer it cannot handle. */
export function buildForwardGraph(model: tf.LayersModel, options: ForwardGraphOptions): ForwardGraph {
  if (options.outputs !== 'scores' && options.outputs !== 'batchStatistics') {
    throw new OnnxExportError(`buildForwardGraph: option 'outputs' must be 'scores' or 'batchStatistics', got ${String(options.outputs)}`);
  }
  const { imageShape, classes } = checkStepModel(model);
  const graph = new OnnxGraphBuilder();
  const ops = new GraphOps(graph);
  const batchSize = options.batchSize ?? 'batch';
  const images = graph.addInput('images', [batchSize, ...imageShape]);
  const weightInputs = addWeightInputs(model, graph);
  const statistics: Array<{ weight: WeightInput; value: string }> = [];
  const forward = emitForward(model, ops, {
    images,
    weightInputs,
    batchSize,
    batchNorm: options.outputs === 'scores' ? 'moving' : 'batch',
    onBatchStatistic: (weight, value) => statistics.push({ weight, value }),
  });
  const result: ForwardGraph = { bytes: new Uint8Array(), inputs: { images }, weights: [...weightInputs.values()].map((input) => graphWeight(input)), batchStatistics: [] };
  if (options.outputs === 'scores') {
    graph.addOutput(forward.output, [batchSize, classes]);
    result.scores = forward.output;
  }
  for (const { weight, value } of statistics) {
    graph.addOutput(value, [...weight.shape]);
    result.batchStatistics.push({ key: weight.variable.originalName, output: value });
  }
  result.bytes = encodeBuiltGraph(graph, `${model.name}_${options.outputs === 'scores' ? 'forward' : 'batch_statistics'}`, `forward-graph/${options.outputs}`);
  return result;
}
