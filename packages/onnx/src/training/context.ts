import type * as tf from '@tensorflow/tfjs';
import type { LayerCallContext, OnnxValue } from '../convert/context';
import { OnnxExportError } from '../errors';
import type { GraphOps } from './graph-ops';
import type { GraphLayout } from './weight-layout';

/** A model weight as the training graph sees it: its graph input and whether the step trains it. */
export interface WeightInput {
  variable: tf.LayerVariable;
  /** Graph input holding the weight's value: in the keras layout, or in `layout` (a Conv2D kernel is OIHW). */
  name: string;
  /** The input's shape (the keras shape unless `layout` says otherwise). */
  shape: number[];
  layout?: GraphLayout;
  trainable: boolean;
}

/**
 * How a trainable BatchNorm layer normalizes: `batch` on the batch statistics (a training step, or
 * gathering statistics for precise BN), `moving` on its moving statistics (inference).
 */
export type BatchNormMode = 'batch' | 'moving';

/** What the forward of one layer call gets. Rank-4 values are NCHW inside the graph. */
export interface TrainingLayerContext extends LayerCallContext {
  ops: GraphOps;
  batchNorm: BatchNormMode;
  /** The layer's weight by keras name (`kernel`, `gamma`, `moving_mean`), or undefined when it has none. */
  weight(name: string): WeightInput | undefined;
  /** Records the new value of a weight the forward itself updates (BatchNorm moving statistics). */
  setUpdatedValue(weight: WeightInput, value: string): void;
  /** Reports the batch statistic ([C]) behind a moving statistic, for precise BN. */
  setBatchStatistic(weight: WeightInput, value: string): void;
}

/** What the backward of one layer call gets: the gradient of its output, which inputs need one. */
export interface BackwardContext {
  dy: string;
  inputNeedsGradient: readonly boolean[];
  /** Records the gradient of one of the layer's trainable weights (same shape and layout as the weight). */
  setGradient(weight: WeightInput, gradient: string): void;
}

/**
 * Emits the input gradients of one layer call (undefined where not needed) and, through
 * `setGradient`, the gradients of its trainable weights.
 */
export type Backward = (b: BackwardContext) => Array<string | undefined>;

export interface TrainedLayer {
  output: OnnxValue;
  backward: Backward;
}

/** Emits the training-mode forward of one layer call and returns how to differentiate it. */
export type LayerTrainer = (c: TrainingLayerContext) => TrainedLayer;

/** Throws the exporter's error (the training graph shares it) naming the layer, its class and what is wrong. */
export function layerError(c: Pick<LayerCallContext, 'layer' | 'className'>, what: string): never {
  throw new OnnxExportError(`Layer '${c.layer.name}' (${c.className}): ${what}`);
}
