import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm';
import type { KerasLayerWeights, KerasWeightFile } from '../keras-file';
import { readString, readStringList } from './attributes';
import { withH5File } from './h5-module';

function toFloat32(value: unknown, label: string): Float32Array {
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Int16Array || value instanceof Uint8Array) {
    return Float32Array.from(value);
  }
  throw new Error(`${label}: unsupported dataset type (expected float32, float64 or integer values)`);
}

function readDataset(group: H5Group, path: string, label: string) {
  const entity = group.get(path);
  if (!entity || !('shape' in entity)) {
    throw new Error(`${label}: weight "${path}" is listed in weight_names but missing from the file`);
  }
  const dataset = entity as H5Dataset;
  const shape = (dataset.shape ?? []).map(Number);
  if (dataset.metadata.type === 1 && dataset.metadata.size === 2) {
    throw new Error(`${label}: weight "${path}" is float16; convert the file to float32 with Keras first`);
  }
  return { name: path, shape, values: toFloat32(dataset.value, `${label}: weight "${path}"`) };
}

function readLayers(root: H5Group, fileLabel: string): KerasLayerWeights[] {
  const layerNames = readStringList(root, 'layer_names');
  if (!layerNames) {
    // Keras 3 `.weights.h5` files keep `layers/<name>/vars/<i>` and no layer_names.
    const keras3 = root.keys().includes('layers') ? ' It looks like a Keras 3 .weights.h5 file; re-save it with model.save("model.h5") (legacy HDF5 format).' : '';
    throw new Error(`${fileLabel}: no "layer_names" attribute; this is not a Keras 2 weights file.${keras3}`);
  }
  const present = new Set(root.keys());
  return layerNames.map((layerName) => {
    const group = present.has(layerName) ? (root.get(layerName) as H5Group) : null;
    if (!group) throw new Error(`${fileLabel}: layer "${layerName}" is in layer_names but has no group`);
    const weightNames = readStringList(group, 'weight_names') ?? [];
    const label = `${fileLabel}: layer ${layerName}`;
    return { name: layerName, weights: weightNames.map((w) => readDataset(group, w, label)) };
  });
}

function readKerasFile(file: H5File, label: string): KerasWeightFile {
  // Probe with keys(): get() of a missing path makes HDF5 print a diagnostic.
  const modelWeights = file.keys().includes('model_weights') ? (file.get('model_weights') as H5Group) : null;
  const root = modelWeights && 'keys' in modelWeights ? modelWeights : file;
  const backend = readString(root, 'backend') ?? readString(file, 'backend');
  if (backend === 'theano') {
    throw new Error(`${label}: saved with the Theano backend (channels-first kernels); re-save it with TensorFlow`);
  }
  return {
    layout: root === file ? 'save_weights' : 'model',
    kerasVersion: readString(root, 'keras_version') ?? readString(file, 'keras_version'),
    backend,
    modelConfig: readString(file, 'model_config'),
    layers: readLayers(root, label),
  };
}

/** Reads every layer's weights from Keras 2 HDF5 bytes (either layout). */
export async function readKerasH5(bytes: Uint8Array, label: string): Promise<KerasWeightFile> {
  return withH5File(bytes, label, (file) => {
    try {
      return readKerasFile(file, label);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (message.startsWith(label)) throw error;
      throw new Error(`${label}: could not read the HDF5 contents (${message}); the file may be truncated or corrupt`);
    }
  });
}
