import type * as tf from '@tensorflow/tfjs';
import { safeHttpIO } from './tfjs/safe-http-io';
import { readKerasH5 } from './h5/read-keras-h5';
import { applyKerasWeights, type LoadKerasWeightsOptions, type LoadKerasWeightsResult } from './load-keras-weights';
import { describeSource, readBinarySource, type BinarySource } from './source/binary-source';
import { nodeFs } from './source/local-files';
import { readLocalModelArtifacts } from './source/local-model-folder';
import type { ModelFileLimits } from './tfjs/weight-specs';
import { artifactsToLayers } from './tfjs-weights';

export type LoadModelWeightsOptions = LoadKerasWeightsOptions & ModelFileLimits;

const HTTP = /^https?:\/\//i;
const KERAS_FILE = /\.(h5|hdf5)$/i;

async function isLocalTfjsModel(path: string): Promise<boolean> {
  if (path.endsWith('.json')) return true;
  const fs = await nodeFs(path);
  const info = await fs.stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

/**
 * Loads weights into a model from any file we read: Keras HDF5 (path, URL or bytes) or a tfjs
 * model (a local folder / model.json, or an http(s) model.json URL). Layers are matched as in
 * {@link loadKerasWeights}; the tfjs files get the same safety checks as `fileIO`/`safeHttpIO`.
 */
export async function loadModelWeights(model: tf.LayersModel, source: BinarySource, options: LoadModelWeightsOptions = {}): Promise<LoadKerasWeightsResult> {
  const label = describeSource(source);
  if (typeof source === 'string' || source instanceof URL) {
    const text = source instanceof URL ? source.href : source;
    if (!KERAS_FILE.test(text.split(/[?#]/)[0])) {
      if (HTTP.test(text)) {
        const url = text.endsWith('.json') ? text : `${text.replace(/\/$/, '')}/model.json`;
        const handler = safeHttpIO(url, { ...options, fetch: options.fetch });
        return applyKerasWeights(model, artifactsToLayers(await handler.load!(), url), url, options);
      }
      if (await isLocalTfjsModel(text)) {
        return applyKerasWeights(model, artifactsToLayers(await readLocalModelArtifacts(text, options), text), text, options);
      }
    }
  }
  const file = await readKerasH5(await readBinarySource(source, { fetch: options.fetch }), label);
  return applyKerasWeights(model, file, label, options);
}
