/**
 * TEMPORARY ADAPTER for `@resnet-ts/zoo/browser` (announced: IndexedDB, downloads and http model
 * load/save with safety checks). Delete once the package exports these.
 */
import * as tf from '@tensorflow/tfjs';

const PREFIX = 'indexeddb://';

/** What travels with a saved model so it can be used for prediction again. */
export interface ModelMetadata {
  classNames: string[];
  architecture?: string;
}

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: ModelMetadata | undefined;
}

function readMetadata(model: tf.LayersModel): ModelMetadata | undefined {
  const meta = model.getUserDefinedMetadata() as Partial<ModelMetadata> | undefined;
  return Array.isArray(meta?.classNames) ? (meta as ModelMetadata) : undefined;
}

export async function saveToIndexedDb(model: tf.LayersModel, key: string, metadata: ModelMetadata): Promise<void> {
  model.setUserDefinedMetadata({ ...metadata });
  await model.save(PREFIX + key);
}

export async function loadFromIndexedDb(key: string): Promise<LoadedModel> {
  const model = await tf.loadLayersModel(PREFIX + key);
  return { model, metadata: readMetadata(model) };
}

export async function listIndexedDbModels(): Promise<{ key: string; dateSaved: Date; bytes: number }[]> {
  const all = await tf.io.listModels();
  return Object.entries(all)
    .filter(([url]) => url.startsWith(PREFIX))
    .map(([url, info]) => ({
      key: url.slice(PREFIX.length),
      dateSaved: new Date(info.dateSaved),
      bytes: (info.modelTopologyBytes ?? 0) + (info.weightDataBytes ?? 0),
    }));
}

export async function deleteFromIndexedDb(key: string): Promise<void> {
  await tf.io.removeModel(PREFIX + key);
}

export async function downloadModel(model: tf.LayersModel, name: string, metadata: ModelMetadata): Promise<void> {
  model.setUserDefinedMetadata({ ...metadata });
  await model.save(`downloads://${name}`);
}

export async function loadFromFiles(files: File[]): Promise<LoadedModel> {
  const json = files.find((f) => f.name.endsWith('model.json')) ?? files.find((f) => f.name.endsWith('.json'));
  if (!json) throw new Error('Choose the model.json file together with its .bin weight files.');
  const weights = files.filter((f) => f.name.endsWith('.bin'));
  const model = await tf.loadLayersModel(tf.io.browserFiles([json, ...weights]));
  return { model, metadata: readMetadata(model) };
}
