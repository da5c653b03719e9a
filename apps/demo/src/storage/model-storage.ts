/**
 * Saving and loading the demo's models through the zoo's guarded browser handlers (IndexedDB,
 * downloads) and its artifact checks (for files picked by the user). What the demo needs to use a
 * model again (class names, normalisation, architecture) travels as the model card of
 * `@resnet-ts/zoo` in the model's `userDefinedMetadata`, so it survives IndexedDB, downloads and
 * `resnet export` folders alike.
 */
import { guardIOHandler, writeModelCard, type ModelCard } from '@resnet-ts/zoo';
import { browserModelIO } from '@resnet-ts/zoo/browser';
import * as tf from '@tensorflow/tfjs';

const INDEXED_DB = 'indexeddb://';

export interface LoadedModel {
  model: tf.LayersModel;
  /**
   * Metadata from JSON files picked with the model (a classes.json array, a run.json), for
   * `readModelCard`'s `sidecar`: used where the model has no card.
   */
  sidecar?: Record<string, unknown>;
}

export interface SavedModelInfo {
  key: string;
  dateSaved: Date;
  bytes: number;
}

export async function saveToIndexedDb(model: tf.LayersModel, key: string, card: ModelCard): Promise<void> {
  writeModelCard(model, card);
  await model.save(browserModelIO(INDEXED_DB + key));
  await confirmStored(key);
}

// tfjs's IndexedDB layout (tfjs-core io/indexed_db.ts).
const TFJS_DATABASE = 'tensorflowjs';
const TFJS_MODELS_STORE = 'models_store';

/**
 * tfjs resolves a save when its write request succeeds, before the transaction commits: a page
 * closed or reloaded right then loses the weights while the model still shows in the listing.
 * A read of the same store is queued behind that write, so when it answers the model is on disk.
 */
function confirmStored(key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(TFJS_DATABASE);
    open.onerror = () => reject(new Error(`Saving "${key}": IndexedDB could not be opened (${open.error?.message}).`));
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction(TFJS_MODELS_STORE, 'readonly').objectStore(TFJS_MODELS_STORE).count(key);
      count.onsuccess = () => {
        db.close();
        if (count.result === 1) resolve();
        else reject(new Error(`Saving "${key}" did not reach IndexedDB (storage full or private mode?). Try again or download the model.`));
      };
      count.onerror = () => {
        db.close();
        reject(new Error(`Saving "${key}": IndexedDB could not be read back (${count.error?.message}).`));
      };
    };
  });
}

export async function loadFromIndexedDb(key: string): Promise<LoadedModel> {
  const model = await tf.loadLayersModel(browserModelIO(INDEXED_DB + key));
  return { model };
}

export async function listIndexedDbModels(): Promise<SavedModelInfo[]> {
  const all = await tf.io.listModels();
  return Object.entries(all)
    .filter(([url]) => url.startsWith(INDEXED_DB))
    .map(([url, info]) => ({
      key: url.slice(INDEXED_DB.length),
      dateSaved: new Date(info.dateSaved),
      bytes: (info.modelTopologyBytes ?? 0) + (info.weightDataBytes ?? 0),
    }))
    .sort((a, b) => b.dateSaved.getTime() - a.dateSaved.getTime());
}

export async function deleteFromIndexedDb(key: string): Promise<void> {
  await tf.io.removeModel(INDEXED_DB + key);
}

/** Saves `name.json` + `name.weights.bin` through the browser's downloads. */
export async function downloadModel(model: tf.LayersModel, name: string, card: ModelCard): Promise<void> {
  writeModelCard(model, card);
  await model.save(browserModelIO(`downloads://${name}`));
}

/**
 * Loads a tfjs folder picked as files: the model JSON (`model.json`, or any JSON with a
 * `modelTopology`), its `.bin` shards, and optionally JSON files with the class names: an array
 * (classes.json) or an object with `classNames` (run.json).
 */
export async function loadFromFiles(files: File[]): Promise<LoadedModel> {
  const jsonFiles = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const parsed = await Promise.all(
    jsonFiles.map(async (file) => {
      try {
        return { file, value: JSON.parse(await file.text()) as unknown };
      } catch {
        throw new Error(`${file.name} is not valid JSON: pick the model.json that "resnet export" wrote.`);
      }
    }),
  );
  const modelJson = parsed.find((p) => typeof p.value === 'object' && p.value !== null && 'modelTopology' in p.value);
  if (!modelJson) throw new Error('None of the picked files is a tfjs model.json: pick model.json together with its .bin weight files.');
  const shards = files.filter((f) => f.name.toLowerCase().endsWith('.bin'));
  if (shards.length === 0) throw new Error(`${modelJson.file.name} needs its .bin weight files: pick them together with it.`);
  const handler = guardIOHandler(tf.io.browserFiles([modelJson.file, ...shards]), modelJson.file.name);
  const model = await tf.loadLayersModel(handler);
  const sidecar = parsed
    .filter((p) => p !== modelJson && typeof p.value === 'object' && p.value !== null)
    .reduce<Record<string, unknown>>((meta, p) => ({ ...meta, ...(Array.isArray(p.value) ? { classNames: p.value } : (p.value as Record<string, unknown>)) }), {});
  return { model, sidecar };
}
