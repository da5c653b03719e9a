import type * as tf from '@tensorflow/tfjs';

/** Output shape of a layer, `null` for the batch (or any unknown) dimension; a list for multi-output layers. */
export type SummaryShape = (number | null)[] | (number | null)[][];

/** One layer of a model summary. */
export interface SummaryRow {
  /** Layer name, e.g. `conv2_block1_1_conv`. */
  name: string;
  /** tfjs layer class, e.g. `Conv2D`. */
  className: string;
  outputShape: SummaryShape;
  /** Parameters of this layer (trainable and not). */
  params: number;
  /** Names of the layers feeding this one inside the model (Keras's "Connected to"). */
  inbound: string[];
}

/** Structured form of Keras's `model.summary()`. */
export interface ModelSummary {
  name: string;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

function sizeOf(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((n, d) => n * (d ?? 1), 1), 0);
}

/** Layers feeding `layer` through nodes that belong to `model` (a shared layer has nodes in other models too). */
function inboundNames(layer: tf.layers.Layer, inModel: Set<tf.layers.Layer>): string[] {
  const names: string[] = [];
  for (const node of layer.inboundNodes) {
    if (!node.inboundLayers.every((l) => inModel.has(l))) continue;
    for (const l of node.inboundLayers) names.push(l.name);
  }
  return names;
}

/** Summarises a built model layer by layer, with parameter totals. Allocates no tensors. */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const inModel = new Set(model.layers);
  const rows = model.layers.map(
    (layer): SummaryRow => ({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: structuredClone(layer.outputShape) as SummaryShape,
      params: layer.countParams(),
      inbound: inboundNames(layer, inModel),
    }),
  );
  const trainableParams = sizeOf(model.trainableWeights);
  const nonTrainableParams = sizeOf(model.nonTrainableWeights);
  return {
    name: model.name,
    rows,
    totalParams: trainableParams + nonTrainableParams,
    trainableParams,
    nonTrainableParams,
  };
}
