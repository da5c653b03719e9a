import type * as tf from '@tensorflow/tfjs';

/**
 * All weights of a model in an order that does not depend on which layers are trainable.
 * (`model.weights` lists trainable weights first, so freezing a layer reorders it.)
 */
export function orderedWeights(model: tf.LayersModel): tf.LayerVariable[] {
  const out: tf.LayerVariable[] = [];
  const visit = (layer: tf.layers.Layer) => {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (Array.isArray(nested)) nested.forEach(visit);
    else out.push(...layer.weights);
  };
  model.layers.forEach(visit);
  return out;
}
