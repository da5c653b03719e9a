import type * as tf from '@tensorflow/tfjs';
import { loadModelArtifacts, parseModelJson } from '../tfjs/model-artifacts';
import type { ModelFileLimits } from '../tfjs/weight-specs';
import { nodeFs, nodePath } from './local-files';

/** Largest model.json read; topologies are a few hundred KiB even for ResNet152. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

/** The folder and model.json of a local path (or file:// URL) that names either. */
export async function locateModelFolder(pathOrUrl: string): Promise<{ folder: string; modelJson: string }> {
  const path = await nodePath(pathOrUrl);
  const local = pathOrUrl.startsWith('file://') ? decodeURIComponent(new URL(pathOrUrl).pathname) : pathOrUrl;
  const full = path.resolve(local);
  return full.endsWith('.json') ? { folder: path.dirname(full), modelJson: full } : { folder: full, modelJson: path.join(full, 'model.json') };
}

/**
 * Reads a local tfjs model folder (model.json + shards) with the safety checks: shard paths stay
 * inside the folder (also through symbolic links), shard sizes match the weight specs, dtypes and
 * shapes are sane. Node only.
 */
export async function readLocalModelArtifacts(pathOrUrl: string, limits: ModelFileLimits = {}): Promise<tf.io.ModelArtifacts> {
  const fs = await nodeFs(pathOrUrl);
  const path = await nodePath(pathOrUrl);
  const { folder, modelJson } = await locateModelFolder(pathOrUrl);
  const info = await fs.stat(modelJson).catch(() => undefined);
  if (!info) throw new Error(`${modelJson}: not found; expected a tfjs model folder with model.json`);
  if (info.size > MAX_MODEL_JSON_BYTES) throw new Error(`${modelJson}: ${info.size} bytes is too large for a model.json`);
  const json = parseModelJson(await fs.readFile(modelJson, 'utf8'), modelJson, limits);
  const realFolder = await fs.realpath(folder);
  const inside = (p: string) => {
    const rel = path.relative(realFolder, p);
    return rel !== '' && !path.isAbsolute(rel) && !rel.split(path.sep).includes('..');
  };
  const readShard = async (shardPath: string, maxBytes: number): Promise<ArrayBuffer> => {
    const full = path.resolve(folder, shardPath);
    const real = await fs.realpath(full).catch(() => {
      throw new Error(`${modelJson}: shard ${shardPath} is missing (${full})`);
    });
    if (!inside(real)) {
      const link = (await fs.lstat(full)).isSymbolicLink() ? ' through a symbolic link' : '';
      throw new Error(`${modelJson}: shard ${shardPath} points outside the model folder${link} (${real}); refusing to read it`);
    }
    const shard = await fs.stat(real);
    if (!shard.isFile()) throw new Error(`${modelJson}: shard ${shardPath} is not a regular file`);
    if (shard.size > maxBytes) {
      throw new Error(
        `${modelJson}: shard ${shardPath} has ${shard.size} bytes but the weight specs need only ${maxBytes} more; the model files are corrupt or mismatched`,
      );
    }
    const bytes = await fs.readFile(real);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
  return loadModelArtifacts(json, modelJson, readShard, limits);
}
