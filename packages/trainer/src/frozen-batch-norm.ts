import type * as tf from '@tensorflow/tfjs';

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const visit = (layer: tf.layers.Layer) => {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (Array.isArray(nested)) nested.forEach(visit);
    else out.push(layer);
  };
  model.layers.forEach(visit);
  return out;
}

/**
 * Runs `fn` with every frozen BatchNormalization layer in inference mode (moving statistics used,
 * not updated), as Keras does for `trainable = False`: fine-tuning a head must not shift the
 * backbone's statistics. tfjs-layers has no per-layer switch, so `call` is shadowed meanwhile.
 */
export function withFrozenBatchNormInInferenceMode<T>(model: tf.LayersModel, fn: () => T): T {
  const patched: tf.layers.Layer[] = [];
  for (const layer of allLayers(model)) {
    if (layer.trainable || layer.getClassName() !== 'BatchNormalization') continue;
    const original = layer.call.bind(layer) as CallFn;
    (layer as unknown as { call: CallFn }).call = (inputs, kwargs) => original(inputs, { ...kwargs, training: false });
    patched.push(layer);
  }
  try {
    return fn();
  } finally {
    for (const layer of patched) delete (layer as unknown as { call?: CallFn }).call;
  }
}
