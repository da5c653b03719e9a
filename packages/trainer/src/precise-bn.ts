import * as tf from '@tensorflow/tfjs';
import type { TrainingDataset } from './dataset';
import { withFrozenBatchNormInInferenceMode } from './frozen-batch-norm';

export interface PreciseBnOptions {
  /** Training batches to average over. */
  batches: number;
  batchSize: number;
  /** Epoch whose (deterministic) batch order is used. */
  epoch: number;
}

function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const visit = (layer: tf.layers.Layer) => {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (Array.isArray(nested)) nested.forEach(visit);
    else if (layer.getClassName() === 'BatchNormalization' && layer.trainable) out.push(layer);
  };
  model.layers.forEach(visit);
  return out;
}

/**
 * The images precise BN averages over, in order: `options.batches` training batches of
 * `options.epoch`'s shuffle, unaugmented. Each batch is disposed once the consumer moves on.
 */
export async function* preciseBnBatches(data: TrainingDataset, options: PreciseBnOptions): AsyncGenerator<tf.Tensor> {
  if (options.batches <= 0) return;
  let k = 0;
  for await (const batch of data.batches({ batchSize: options.batchSize, epoch: options.epoch, shuffle: true, augment: false })) {
    k += 1;
    try {
      yield batch.xs;
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
    if (k >= options.batches) return;
  }
}

/**
 * "Precise BN" (Wu & Johnson 2021, as in pycls/timm): replaces the moving mean/variance of every
 * trainable BatchNorm layer with the plain average of the batch statistics over `batches`
 * training batches (no augmentation, no weight update). Moving averages with momentum 0.99 lag far
 * behind the weights in short runs, which makes inference-mode validation look broken.
 */
export async function recalibrateBatchNorm(model: tf.LayersModel, data: TrainingDataset, options: PreciseBnOptions): Promise<number> {
  const layers = batchNormLayers(model) as unknown as Array<tf.layers.Layer & { momentum: number }>;
  if (layers.length === 0 || options.batches <= 0) return 0;
  const saved = layers.map((l) => l.momentum);
  let k = 0;
  try {
    for await (const xs of preciseBnBatches(data, options)) {
      k += 1;
      // tfjs updates moving = moving - (moving - batchStat) * (1 - momentum): momentum 1 - 1/k
      // turns that into the running mean of the k batch statistics.
      for (const l of layers) l.momentum = 1 - 1 / k;
      // Frozen layers run as in the training step (inference mode): their statistics stay as they are.
      tf.tidy(() => {
        withFrozenBatchNormInInferenceMode(model, () => model.apply(xs, { training: true }));
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]));
  }
  return k;
}
