import type * as tf from '@tensorflow/tfjs';
import { safeHttpIO } from './tfjs/safe-http-io';
import { readKerasH5 } from './h5/read-keras-h5';
import { applyKerasWeights, type LoadKerasWeightsOptions, type LoadKerasWeightsResult } from './load-keras-weights';
import { describeSource, readBinarySource, type BinarySource } from './source/binary-source';
import { nodeFs } from './source/local-files';
import { readLocalModelArtifacts } from './source/local-model-folder';
import type { ModelFileLimits } from './tfjs/weight-specs';
import { applyStateDict } from './safetensors/apply-state-dict';
import { decodeSafetensors, looksLikeSafetensors } from './safetensors/read-safetensors';
import { artifactsToLayers } from './tfjs-weights';

export type LoadModelWeightsOptions = LoadKerasWeightsOptions & ModelFileLimits;

const HTTP = /^https?:\/\//i;
const KERAS_FILE = /\.(h5|hdf5)$/i;
const SAFETENSORS_FILE = /\.safetensors$/i;

async function isLocalTfjsModel(path: string): Promise<boolean> {
  if (path.endsWith('.json')) return true;
  const fs = await nodeFs(path);
  const info = await fs.stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

/**
 * Loads weights into a model from any file we read: Keras HDF5 (path, URL or bytes), a PyTorch
 * state dict in `.safetensors` (torchvision / timm names; path, URL or bytes), or a tfjs model (a
 * local folder / model.json, or an http(s) model.json URL). Layers are matched as in
 * {@link loadKerasWeights}; the tfjs and safetensors files get the same safety checks and limits
 * as `fileIO`/`safeHttpIO`.
 */
export async function loadModelWeights(model: tf.LayersModel, source: BinarySource, options: LoadModelWeightsOptions = {}): Promise<LoadKerasWeightsResult> {
  const label = describeSource(source);
  if (typeof source === 'string' || source instanceof URL) {
    const text = source instanceof URL ? source.href : source;
    const path = text.split(/[?#]/)[0];
    if (SAFETENSORS_FILE.test(path)) {
      const bytes = await readBinarySource(source, { fetch: options.fetch });
      return applyStateDict(model, decodeSafetensors(bytes, label, options), label, options);
    }
    if (!KERAS_FILE.test(path)) {
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
  const bytes = await readBinarySource(source, { fetch: options.fetch });
  if (looksLikeSafetensors(bytes)) return applyStateDict(model, decodeSafetensors(bytes, label, options), label, options);
  return applyKerasWeights(model, await readKerasH5(bytes, label), label, options);
}
