import { writeStringList } from './attributes';
import { createH5Bytes } from './h5-module';

/** One layer to write: its name and its weights with Keras short names (`kernel`, `gamma`, ...). */
export interface LayerToWrite {
  name: string;
  weights: Array<{ name: string; shape: number[]; values: Float32Array | Int32Array }>;
}

export interface KerasH5Header {
  kerasVersion: string;
  backend: string;
}

/**
 * Encodes the Keras 2 `save_weights` layout: root attributes `layer_names`, `backend`,
 * `keras_version`; one group per layer with attribute `weight_names` and datasets
 * `<layer>/<layer>/<weight>:0`.
 */
export async function writeKerasH5(layers: LayerToWrite[], header: KerasH5Header): Promise<Uint8Array> {
  return createH5Bytes((file) => {
    file.create_attribute('backend', header.backend, null, 'A');
    file.create_attribute('keras_version', header.kerasVersion, null, 'A');
    writeStringList(file, 'layer_names', layers.map((l) => l.name));
    for (const layer of layers) {
      const group = file.create_group(layer.name);
      const seen = new Map<string, number>();
      const weightNames = layer.weights.map((w) => {
        // Keras would uniquify duplicate variable names the same way (`kernel_1`).
        const count = seen.get(w.name) ?? 0;
        seen.set(w.name, count + 1);
        return `${layer.name}/${count === 0 ? w.name : `${w.name}_${count}`}:0`;
      });
      writeStringList(group, 'weight_names', weightNames);
      if (layer.weights.length === 0) continue;
      const inner = group.create_group(layer.name);
      layer.weights.forEach((w, i) => {
        inner.create_dataset({
          name: weightNames[i].slice(layer.name.length + 1),
          data: w.values,
          shape: w.shape,
          dtype: w.values instanceof Int32Array ? '<i' : '<f',
        });
      });
    }
  });
}
