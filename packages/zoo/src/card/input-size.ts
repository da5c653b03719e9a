import type * as tf from '@tensorflow/tfjs';
import { ModelCardError } from './parse-model-card';

type InputSize = [number, number, number];

function asImageSize(shape: readonly unknown[] | undefined, where: string): InputSize {
  const size = shape?.slice(1);
  if (!size || size.length !== 3 || !size.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new ModelCardError(`inputSize: ${where} takes input ${JSON.stringify(shape ?? null)}, not images [batch, height, width, channels]`);
  }
  return size as InputSize;
}

/** `[height, width, channels]` of a model's (first) input. */
export function modelInputSize(model: tf.LayersModel): InputSize {
  return asImageSize(model.inputs[0]?.shape, `model ${model.name}`);
}

interface LayerJson {
  class_name?: string;
  name?: string;
  config?: { name?: string; batch_input_shape?: unknown[]; batchInputShape?: unknown[] };
}

/**
 * `[height, width, channels]` of the first input in a tfjs model topology (model.json's
 * `modelTopology`): the `batch_input_shape` of the functional model's first input layer, or of a
 * Sequential's first layer.
 */
export function topologyInputSize(topology: unknown): InputSize {
  const root = (topology as { model_config?: unknown } | null)?.model_config ?? topology;
  const config = (root as { config?: unknown } | null)?.config as
    | { layers?: LayerJson[]; input_layers?: unknown[][] }
    | LayerJson[]
    | undefined;
  const layers = Array.isArray(config) ? config : (config?.layers ?? []);
  const inputName = Array.isArray(config) ? undefined : config?.input_layers?.[0]?.[0];
  const layer = layers.find((l) => (inputName === undefined ? l.config?.batch_input_shape ?? l.config?.batchInputShape : l.name === inputName));
  return asImageSize(layer?.config?.batch_input_shape ?? layer?.config?.batchInputShape, 'the model topology');
}
