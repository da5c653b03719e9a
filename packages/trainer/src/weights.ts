import type * as tf from '@tensorflow/tfjs';

/**
 * All weights of a model in an order that does not depend on which layers are trainable.
 * (`model.weights` lists trainable weights first, so freezing a layer reorders it.)
 */
export function orderedWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return weightOwners(model).map(({ weight }) => weight);
}

/** {@link orderedWeights} with the (innermost) layer that holds each one. */
export function weightOwners(model: tf.LayersModel): { weight: tf.LayerVariable; layer: tf.layers.Layer }[] {
  const out: { weight: tf.LayerVariable; layer: tf.layers.Layer }[] = [];
  const visit = (layer: tf.layers.Layer) => {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (Array.isArray(nested)) nested.forEach(visit);
    else for (const weight of layer.weights) out.push({ weight, layer });
  };
  model.layers.forEach(visit);
  return out;
}

/** Names weights by position and layer-weight name (`3:conv1_bn/gamma`), as checkpoints store them. */
export function namedByPosition(model: tf.LayersModel, tensors: readonly tf.Tensor[]): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  orderedWeights(model).forEach((w, i) => {
    out[`${i}:${w.originalName}`] = tensors[i];
  });
  return out;
}

/** The tensors of a {@link namedByPosition} map in model order; `what` names the map in errors. */
export function fromNamedByPosition(model: tf.LayersModel, map: tf.NamedTensorMap, what: string): tf.Tensor[] {
  return orderedWeights(model).map((w, i) => {
    const saved = map[`${i}:${w.originalName}`];
    if (!saved) throw new Error(`${what} has no weight "${w.originalName}": was it saved for another model?`);
    return saved;
  });
}
