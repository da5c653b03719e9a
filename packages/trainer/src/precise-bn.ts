import * as tf from '@tensorflow/tfjs';
import type { TrainingDataset } from './dataset';

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
    for await (const batch of data.batches({ batchSize: options.batchSize, epoch: options.epoch, shuffle: true, augment: false })) {
      k += 1;
      // tfjs updates moving = moving - (moving - batchStat) * (1 - momentum): momentum 1 - 1/k
      // turns that into the running mean of the k batch statistics.
      for (const l of layers) l.momentum = 1 - 1 / k;
      try {
        tf.tidy(() => {
          model.apply(batch.xs, { training: true });
        });
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
      if (k >= options.batches) break;
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]));
  }
  return k;
}
