import type * as tf from '@tensorflow/tfjs';
import type { OnnxGraphBuilder } from '../graph/graph-builder';
import type { ResolvedOnnxExportOptions } from '../options';

/** A keras shape: batch first, `null` for unknown sizes, channels last. */
export type KerasShape = readonly (number | null)[];

/** An ONNX value standing for one tfjs symbolic tensor. Rank-4 values are NCHW in the graph. */
export interface OnnxValue {
  name: string;
  /** The tfjs (NHWC) shape of the tensor this value stands for. */
  shape: KerasShape;
}

/** BatchNormalization parameters in float64, per channel. */
export interface BatchNormParameters {
  layerName: string;
  gamma: Float64Array;
  beta: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  epsilon: number;
}

/**
 * One call of a layer, in model order, as the code emitting its nodes sees it: what the exporter's
 * converters (`LayerConversion`) and the training graph's layer trainers (`TrainingLayerContext`)
 * both get.
 */
export interface LayerCallContext {
  layer: tf.layers.Layer;
  className: string;
  config: Record<string, any>;
  inputs: OnnxValue[];
  outputShape: KerasShape;
  /** Preferred name of the output value (the layer's name, suffixed for a shared layer's later calls). */
  outputName: string;
  /** Class names of the layers that read this call's output (empty for a model output only). */
  consumerClasses: readonly string[];
}

/** Everything a converter needs to emit the ONNX nodes of one layer call. */
export interface LayerConversion extends LayerCallContext {
  graph: OnnxGraphBuilder;
  options: ResolvedOnnxExportOptions;
  /** Set on a Conv2D/Dense whose following BatchNormalization is folded into it. */
  foldedBatchNorm?: BatchNormParameters;
  /** Set on a BatchNormalization already folded into the layer before it: emit nothing. */
  isFoldedAway: boolean;
}

/** Emits the nodes of one layer call and returns the value holding its output. */
export type LayerConverter = (conversion: LayerConversion) => OnnxValue;
