import * as tf from '@tensorflow/tfjs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModelFiles, type ModelFilesOptions } from '../weights/tfjs/model-files';
import { loadModelArtifacts, parseModelJson } from '../weights/tfjs/model-artifacts';
import type { ModelFileLimits } from '../weights/tfjs/weight-specs';
import { writeFolderAtomic } from './atomic-folder';

export interface FileIOOptions extends ModelFilesOptions, ModelFileLimits {}

/** Largest model.json read; topologies are a few hundred KiB even for ResNet152. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

function toPath(pathOrUrl: string): string {
  return pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl;
}

/** The folder and model.json of a path that names either. */
function locate(pathOrUrl: string): { folder: string; modelJson: string } {
  const path = resolve(toPath(pathOrUrl));
  return path.endsWith('.json') ? { folder: resolve(path, '..'), modelJson: path } : { folder: path, modelJson: join(path, 'model.json') };
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
}

/** Reads a shard only if it is a regular file whose real path stays inside the real model folder. */
function shardReader(folder: string, label: string) {
  return async (shardPath: string, maxBytes: number): Promise<ArrayBuffer> => {
    const full = resolve(folder, shardPath);
    const realFolder = await realpath(folder);
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      throw new Error(`${label}: shard ${shardPath} is missing (${full})`);
    }
    if (!inside(realFolder, real)) {
      const link = (await lstat(full)).isSymbolicLink() ? ' through a symbolic link' : '';
      throw new Error(`${label}: shard ${shardPath} points outside the model folder${link} (${real}); refusing to read it`);
    }
    const info = await stat(real);
    if (!info.isFile()) throw new Error(`${label}: shard ${shardPath} is not a regular file`);
    if (info.size > maxBytes) {
      throw new Error(`${label}: shard ${shardPath} has ${info.size} bytes but the weight specs need only ${maxBytes} more; the model files are corrupt or mismatched`);
    }
    const bytes = await readFile(real);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
}

/**
 * A tfjs IOHandler for a model folder (model.json + shards) on the local disk, without
 * tfjs-node: `await tf.loadLayersModel(fileIO('path/to/model'))`, `await model.save(fileIO(dir))`.
 * Loading refuses shard paths that leave the folder, shards whose sizes do not match the specs,
 * unknown dtypes and absurd shapes. Saving writes 4 MiB shards atomically.
 */
export function fileIO(pathOrUrl: string, options: FileIOOptions = {}): tf.io.IOHandler {
  const { folder, modelJson } = locate(pathOrUrl);
  return {
    async load() {
      const info = await stat(modelJson).catch(() => undefined);
      if (!info) throw new Error(`${modelJson}: not found; expected a tfjs model folder with model.json`);
      if (info.size > MAX_MODEL_JSON_BYTES) throw new Error(`${modelJson}: ${info.size} bytes is too large for a model.json`);
      const json = parseModelJson(await readFile(modelJson, 'utf8'), modelJson, options);
      return loadModelArtifacts(json, modelJson, shardReader(folder, modelJson), options);
    },
    async save(artifacts) {
      const { modelJson: json, shards } = encodeModelFiles(artifacts, options);
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
