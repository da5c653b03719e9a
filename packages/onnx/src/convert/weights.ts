import type * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from '../errors';

/**
 * Reads a weight of a layer by its keras name (`kernel`, `bias`, `gamma`, `moving_mean`...).
 * Reads the variable in place (never disposes it: it belongs to the model).
 */
export function readWeight(layer: tf.layers.Layer, weightName: string): { values: Float32Array; shape: number[] } | undefined {
  const variable = layer.weights.find((w) => lastSegment(w.originalName ?? w.name) === weightName || lastSegment(w.name) === weightName);
  if (!variable) return undefined;
  const tensor = variable.read();
  return { values: tensor.dataSync() as Float32Array, shape: [...tensor.shape] };
}

export function requireWeight(layer: tf.layers.Layer, weightName: string): { values: Float32Array; shape: number[] } {
  const weight = readWeight(layer, weightName);
  if (!weight) {
    const present = layer.weights.map((w) => w.name).join(', ') || 'none';
    throw new OnnxExportError(`Layer '${layer.name}' (${layer.getClassName()}): weight '${weightName}' not found (weights: ${present}); was the model built?`);
  }
  return weight;
}

/** The keras weight name (`kernel`, `moving_mean`) of a variable name such as `conv1/kernel_1`. */
export function lastSegment(name: string): string {
  // Keras names variables `layer/kernel`; tfjs may suffix duplicates as `layer/kernel_1`.
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.replace(/_\d+$/, '').replace(/:\d+$/, '');
}
