import * as tf from '@tensorflow/tfjs';
import { assertRelativeShardPath } from './shard-paths';
import { weightSpecsBytes, type ModelFileLimits } from './weight-specs';

/**
 * Reads one shard, given its manifest path (already checked to be relative). `maxBytes` is what
 * the group still needs: a reader may refuse a bigger shard before reading it.
 */
export type ShardReader = (path: string, maxBytes: number) => Promise<ArrayBuffer>;

/** Parses and checks a model.json text: a topology and a well-formed weights manifest. */
export function parseModelJson(text: string, label: string, limits: ModelFileLimits = {}): tf.io.ModelJSON {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: not valid JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new Error(`${label}: no "modelTopology" object; not a tfjs model.json`);
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new Error(`${label}: "weightsManifest" must be a list of groups`);
  let total = 0;
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths)) throw new Error(`${label}: a weightsManifest group has no "paths" list`);
    group.paths.forEach((p) => assertRelativeShardPath(p, label));
    total += weightSpecsBytes(group.weights, label, limits);
  }
  const max = limits.maxWeightBytes ?? 2 * 1024 ** 3;
  if (total > max) throw new Error(`${label}: weights total ${total} bytes, over the ${max}-byte limit`);
  return json;
}

/**
 * Loads the artifacts of a checked model.json through `readShard`, refusing groups whose shards
 * do not add up to exactly the bytes their weight specs describe.
 */
export async function loadModelArtifacts(json: tf.io.ModelJSON, label: string, readShard: ShardReader, limits: ModelFileLimits = {}): Promise<tf.io.ModelArtifacts> {
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      const expected = weightSpecsBytes(group.weights, label, limits);
      let found = 0;
      for (const path of group.paths) {
        const shard = await readShard(assertRelativeShardPath(path, label), expected - found);
        found += shard.byteLength;
        if (found > expected) break;
        buffers.push(shard);
      }
      if (found !== expected) {
        throw new Error(
          `${label}: shards ${group.paths.join(', ')} hold ${found > expected ? 'more than ' : ''}${found} bytes ` +
            `but their weight specs need ${expected}; the model files are corrupt or mismatched`,
        );
      }
      specs.push(...group.weights);
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

/** Checks artifacts produced by any tfjs handler (IndexedDB, http, memory) against their own specs. */
export function checkModelArtifacts(artifacts: tf.io.ModelArtifacts, label: string, limits: ModelFileLimits = {}): tf.io.ModelArtifacts {
  const specs = artifacts.weightSpecs ?? [];
  const expected = weightSpecsBytes(specs, label, limits);
  const data = artifacts.weightData;
  const found = data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
  if (found !== expected) {
    throw new Error(`${label}: weight data has ${found} bytes but the weight specs need ${expected}; the stored model is corrupt`);
  }
  return artifacts;
}
