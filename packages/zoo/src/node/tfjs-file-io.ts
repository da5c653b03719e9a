import * as tf from '@tensorflow/tfjs';
import { encodeModelFiles, type ModelFilesOptions } from '../weights/tfjs/model-files';
import { recordShardChecksums } from '../weights/tfjs/shard-checksums';
import type { ModelFileLimits } from '../weights/tfjs/weight-specs';
import { readLocalModelArtifacts } from '../weights/source/local-model-folder';
import { writeFolderAtomic } from './atomic-folder';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FileIOOptions extends ModelFilesOptions, ModelFileLimits {}

/** The model folder of a path (or file:// URL) naming the folder or its model.json. */
function folderOf(pathOrUrl: string): string {
  const path = resolve(pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl);
  return path.endsWith('.json') ? dirname(path) : path;
}

/**
 * A tfjs IOHandler for a model folder (model.json + shards) on the local disk, without
 * tfjs-node: `await tf.loadLayersModel(fileIO('path/to/model'))`, `await model.save(fileIO(dir))`.
 * Loading refuses shard paths that leave the folder, shards whose sizes do not match the specs,
 * unknown dtypes and absurd shapes, and shards that differ from the model card's checksums.
 * Saving writes 4 MiB shards atomically and records their SHA-256 in the model card, if any.
 */
export function fileIO(pathOrUrl: string, options: FileIOOptions = {}): tf.io.IOHandler {
  const folder = folderOf(pathOrUrl);
  return {
    load: () => readLocalModelArtifacts(pathOrUrl, options),
    async save(artifacts) {
      const { modelJson: json, shards } = await recordShardChecksums(encodeModelFiles(artifacts, options), folder);
      await writeFolderAtomic(folder, [...shards, { name: 'model.json', bytes: JSON.stringify(json) }]);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

let routersRegistered = false;

/** Makes `tf.loadLayersModel('file://...')` and `model.save('file://...')` use {@link fileIO}. */
export function registerFileIORouters(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  // tfjs routers answer null for URLs they do not handle, although the type says IOHandler.
  const route = (url: string | string[]) =>
    (typeof url === 'string' && url.startsWith('file://') ? fileIO(url) : null) as tf.io.IOHandler;
  tf.io.registerLoadRouter(route);
  tf.io.registerSaveRouter(route);
}
