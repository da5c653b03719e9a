import * as tf from '@tensorflow/tfjs';
import type { KerasLayerWeights, KerasWeightFile } from './keras-file';

/**
 * Groups the weights of tfjs artifacts by layer (`conv1_conv/kernel` -> layer `conv1_conv`,
 * weight `kernel`), in manifest order, so they go through the same matching as Keras files.
 */
export function artifactsToLayers(artifacts: tf.io.ModelArtifacts, label: string): KerasWeightFile {
  const specs = artifacts.weightSpecs ?? [];
  if (artifacts.weightData === undefined || specs.length === 0) throw new Error(`${label}: the model has no weights`);
  const tensors = tf.io.decodeWeights(artifacts.weightData, specs);
  try {
    const layers = new Map<string, KerasLayerWeights>();
    for (const spec of specs) {
      const parts = spec.name.split('/');
      if (parts.length < 2) throw new Error(`${label}: weight ${spec.name} is not named <layer>/<weight>`);
      const layerName = parts[parts.length - 2];
      if (!layers.has(layerName)) layers.set(layerName, { name: layerName, weights: [] });
      const values = tensors[spec.name].dataSync();
      layers.get(layerName)!.weights.push({ name: spec.name, shape: spec.shape, values: Float32Array.from(values as ArrayLike<number>) });
    }
    return { layout: 'tfjs', layers: [...layers.values()] };
  } finally {
    tf.dispose(tensors);
  }
}
