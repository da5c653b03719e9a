import type * as tf from '@tensorflow/tfjs';
import { writeKerasH5, type LayerToWrite } from './h5/write-keras-h5';
import { tfjsWeightName } from './load-keras-weights';
import { writeLocalFileAtomic } from './source/local-files';

/** Receives the encoded file, e.g. to upload it or offer it as a download. */
export type BytesSink = (bytes: Uint8Array) => void | Promise<void>;

export interface SaveKerasWeightsOptions {
  /** `keras_version` root attribute; any 2.x makes Keras load without Keras 1 conversions. Default '2.15.0'. */
  kerasVersion?: string;
}

export interface SaveKerasWeightsResult {
  bytes: number;
  layers: number;
  weights: number;
}

export const DEFAULT_KERAS_VERSION = '2.15.0';

async function layersToWrite(model: tf.LayersModel): Promise<LayerToWrite[]> {
  const out: LayerToWrite[] = [];
  for (const layer of model.layers) {
    const weights = [];
    for (const variable of layer.weights) {
      const data = await variable.read().data();
      if (!(data instanceof Float32Array) && !(data instanceof Int32Array)) {
        throw new Error(`Layer ${layer.name}: weight ${variable.originalName} has dtype ${variable.dtype}; only float32 and int32 can be saved`);
      }
      weights.push({ name: tfjsWeightName(variable), shape: variable.shape.map(Number), values: data });
    }
    out.push({ name: layer.name, weights });
  }
  return out;
}

/** Encodes a model's weights as a Keras 2 `save_weights` HDF5 file (Node and browser). */
export async function encodeKerasWeights(model: tf.LayersModel, options: SaveKerasWeightsOptions = {}): Promise<Uint8Array> {
  return writeKerasH5(await layersToWrite(model), {
    backend: 'tensorflow',
    kerasVersion: options.kerasVersion ?? DEFAULT_KERAS_VERSION,
  });
}

/**
 * Writes a model's weights in Keras 2 `save_weights` layout, with the model's layer names
 * (keras-applications names for zoo models), loadable by `keras_model.load_weights(path)`.
 * `target`: a local path (Node; written atomically) or a function receiving the bytes.
 */
export async function saveKerasWeights(
  model: tf.LayersModel,
  target: string | BytesSink,
  options: SaveKerasWeightsOptions = {},
): Promise<SaveKerasWeightsResult> {
  const bytes = await encodeKerasWeights(model, options);
  if (typeof target === 'string') await writeLocalFileAtomic(target, bytes);
  else await target(bytes);
  return {
    bytes: bytes.byteLength,
    layers: model.layers.length,
    weights: model.layers.reduce((n, l) => n + l.weights.length, 0),
  };
}
