import * as tf from '@tensorflow/tfjs';
import { readKerasH5 } from './h5/read-keras-h5';
import { applyKerasWeights, type LoadKerasWeightsOptions, type LoadKerasWeightsResult } from './load-keras-weights';
import { describeSource, readBinarySource, type BinarySource } from './source/binary-source';

type KerasLayerJson = { class_name: string; config: Record<string, unknown> };
type KerasModelJson = { class_name: string; config: unknown; [key: string]: unknown };

/**
 * Keras 2.0.x copied the model's `batch_input_shape` into inner layers of functional models;
 * tfjs then checks inner inputs against it and warns. Only InputLayers (and the first layer of a
 * Sequential model) should carry it.
 */
function withoutInnerInputShapes(json: KerasModelJson): KerasModelJson {
  const config = json.config as { layers?: KerasLayerJson[] } | KerasLayerJson[];
  const layers = Array.isArray(config) ? config : config?.layers;
  if (!Array.isArray(layers)) return json;
  const sequential = json.class_name === 'Sequential';
  const cleaned = layers.map((layer, i) => {
    const keep = layer.class_name === 'InputLayer' || (sequential && i === 0);
    if (keep || !layer.config || !('batch_input_shape' in layer.config)) return layer;
    const rest = { ...layer.config };
    delete rest.batch_input_shape;
    return { ...layer, config: rest };
  });
  return { ...json, config: Array.isArray(config) ? cleaned : { ...config, layers: cleaned } };
}

/** Builds a tfjs model from a Keras 2 model JSON (`model.to_json()` text or the parsed object). */
export async function modelFromKerasJson(json: string | object): Promise<tf.LayersModel> {
  const parsed = (typeof json === 'string' ? JSON.parse(json) : json) as KerasModelJson;
  if (!parsed || typeof parsed.class_name !== 'string') {
    throw new Error('Keras model JSON: expected an object with "class_name" and "config" (the output of model.to_json())');
  }
  return tf.models.modelFromJSON({ modelTopology: withoutInnerInputShapes(parsed) as unknown as tf.io.ModelJSON['modelTopology'] });
}

export interface KerasModelLoadResult {
  model: tf.LayersModel;
  weights: LoadKerasWeightsResult;
}

/** Loads a full Keras 2 `model.save` HDF5 file: the architecture from `model_config`, then its weights. */
export async function loadKerasModel(source: BinarySource, options: LoadKerasWeightsOptions = {}): Promise<KerasModelLoadResult> {
  const label = describeSource(source);
  const file = await readKerasH5(await readBinarySource(source, { fetch: options.fetch }), label);
  if (!file.modelConfig) {
    throw new Error(`${label}: has weights only (save_weights layout); build the model and use loadKerasWeights`);
  }
  const model = await modelFromKerasJson(file.modelConfig);
  try {
    return { model, weights: applyKerasWeights(model, file, label, { ...options, matching: options.matching ?? 'name' }) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
