import type * as tf from '@tensorflow/tfjs';
import { buildTrainingGraph } from '@resnet-ts/onnx';
import type { OptimizerSpec } from '@resnet-ts/trainer';

/** Whether the onnxruntime engine can train a model, and if not, why (the first layer or setting it cannot build). */
export type OnnxTrainingSupport = { supported: true } | { supported: false; reason: string };

/**
 * Checks that a training-step graph can be built for `model` with `optimizer` (default Adam): what
 * `resnet train --engine auto` asks before it picks the onnxruntime engine. The graph takes the
 * weights as inputs, so building it reads only the layers' configuration, never the weights.
 */
export function onnxTrainingSupport(model: tf.LayersModel, optimizer: OptimizerSpec = { type: 'adam' }): OnnxTrainingSupport {
  try {
    buildTrainingGraph(model, { optimizer: { ...optimizer }, labelSmoothing: 0, fromLogits: false, clipNorm: 0, topK: 1, batchSize: 1 });
    return { supported: true };
  } catch (error) {
    return { supported: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
