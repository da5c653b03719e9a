import type * as tf from '@tensorflow/tfjs';

/**
 * Transfer learning: train only the head first, then unfreeze from a stage.
 * Layer names are matched by prefix, e.g. `conv5_` for the last ResNet stage.
 */
export interface TransferOptions {
  /** Freeze every layer before the head at the start. */
  freezeBackbone?: boolean;
  /** Name prefix of the first head layer. Default: the last layer that has weights (the classifier). */
  headFrom?: string;
  /** At `unfreezeEpoch`, make every layer from the first one named with this prefix trainable. */
  unfreezeFrom?: string;
  /** 0-based epoch at which `unfreezeFrom` takes effect. Default 0 when only `unfreezeFrom` is set. */
  unfreezeEpoch?: number;
  /**
   * Multiplies the learning rate of every layer before the head (e.g. 0.1: pretrained layers move
   * ten times slower than the new classifier once they train). Default 1.
   */
  backboneLrScale?: number;
  /**
   * With `freezeBackbone`: compute the backbone's pooled features once per image and train the
   * head on them (see `cacheFeatures` in the README). `true` is `{ augmentedCopies: 1 }`; `false`
   * or absent: off.
   */
  cacheFeatures?: boolean | FeatureCacheOptions;
}

export interface FeatureCacheOptions {
  /** Feature copies per training image; copy k is the image under the data's augmentation of epoch k. Default 1. */
  augmentedCopies?: number;
}

/** Index of the first layer whose name starts with `prefix`; throws naming the prefix when none does. */
export function firstLayerIndex(model: tf.LayersModel, prefix: string): number {
  const index = model.layers.findIndex((layer) => layer.name.startsWith(prefix));
  if (index < 0) {
    const sample = model.layers.slice(0, 8).map((l) => l.name).join(', ');
    throw new Error(`No layer of model "${model.name}" is named with the prefix "${prefix}" (layers: ${sample}, ...).`);
  }
  return index;
}

/** Index of the first head layer: `headFrom`, else the last layer with weights (the classifier). */
export function headIndex(model: tf.LayersModel, options: TransferOptions): number {
  if (options.headFrom) return firstLayerIndex(model, options.headFrom);
  for (let i = model.layers.length - 1; i >= 0; i--) if (model.layers[i].weights.length > 0) return i;
  return 0;
}

/**
 * The learning-rate multiplier of each weight before the head (by `weightKey`, its original name)
 * for `backboneLrScale`; empty when it is 1 or unset.
 */
export function backboneLrScales(model: tf.LayersModel, options: TransferOptions | undefined): Map<string, number> {
  const scale = options?.backboneLrScale ?? 1;
  const scales = new Map<string, number>();
  if (scale === 1) return scales;
  const head = headIndex(model, options!);
  for (const layer of model.layers.slice(0, head)) for (const w of layer.weights) scales.set(w.originalName, scale);
  return scales;
}

/** Makes layers before `from` frozen and the rest trainable. */
export function setTrainableFrom(model: tf.LayersModel, from: number): void {
  model.layers.forEach((layer, i) => {
    layer.trainable = i >= from;
  });
}

/**
 * Sets each layer's `trainable` flag for `epoch`. Returns a short description of the state, which
 * changes exactly when the set of trained layers changes.
 */
export function applyTransfer(model: tf.LayersModel, options: TransferOptions | undefined, epoch: number): string {
  if (!options || (!options.freezeBackbone && !options.unfreezeFrom)) return 'all';
  const unfreezeAt = options.unfreezeEpoch ?? 0;
  if (options.unfreezeFrom && epoch >= unfreezeAt) {
    setTrainableFrom(model, firstLayerIndex(model, options.unfreezeFrom));
    return `from:${options.unfreezeFrom}`;
  }
  if (options.freezeBackbone) {
    const head = headIndex(model, options);
    setTrainableFrom(model, head);
    return `head:${model.layers[head].name}`;
  }
  return 'all';
}
