import * as tf from '@tensorflow/tfjs';
import { assertJsonShape } from './json-limits';
import { cardShardChecksums, verifyShardChecksum, withoutShardChecksums } from './shard-checksums';
import { assertRelativeShardPath } from './shard-paths';
import { assertTopologyWeights } from './topology-weights';
import { DEFAULT_MAX_WEIGHT_BYTES, weightSpecElements, weightSpecsBytes, type ModelFileLimits } from './weight-specs';

/**
 * Reads one shard, given its manifest path (already checked to be relative). `maxBytes` is what
 * the group still needs: a reader may refuse a bigger shard before reading it.
 */
export type ShardReader = (path: string, maxBytes: number) => Promise<ArrayBuffer>;

/** The error for a model.json without weights: tfjs would build it with random ones and predict confidently. */
function noWeightsError(label: string): Error {
  return new Error(
    `${label}: no "weightsManifest": the model lists no weights, so it would run on random ones; ` +
      'save the model with its weights (model.save, resnet export) or restore the key from the original model.json',
  );
}

/**
 * Parses and checks a model.json text before anything is allocated: its JSON nesting and size, a
 * topology, a well-formed weights manifest naming each shard once, and a topology whose layers
 * need no more weights than the manifest holds.
 */
export function parseModelJson(text: string, label: string, limits: ModelFileLimits = {}): tf.io.ModelJSON {
  assertJsonShape(text, label, limits);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: not valid JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new Error(`${label}: no "modelTopology" object; not a tfjs model.json`);
  }
  const manifest = json.weightsManifest;
  if (manifest === undefined || manifest === null) throw noWeightsError(label);
  if (!Array.isArray(manifest)) throw new Error(`${label}: "weightsManifest" must be a list of groups`);
  let total = 0;
  let elements = 0;
  const seen = new Set<string>();
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths)) throw new Error(`${label}: a weightsManifest group has no "paths" list`);
    for (const path of group.paths) {
      assertRelativeShardPath(path, label);
      if (seen.has(path)) throw new Error(`${label}: shard ${path} is listed twice in "weightsManifest"; each shard holds different weights, so the manifest is corrupt`);
      seen.add(path);
    }
    total += weightSpecsBytes(group.weights, label, limits);
    elements += group.weights.reduce((n, spec) => n + weightSpecElements(spec), 0);
  }
  const max = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (total > max) throw new Error(`${label}: weights total ${total} bytes, over the ${max}-byte limit`);
  assertTopologyWeights(json.modelTopology, elements, label, max);
  return json;
}

/**
 * Loads the artifacts of a checked model.json through `readShard`, refusing groups whose shards
 * do not add up to exactly the bytes their weight specs describe, and shards that differ from the
 * checksums in the model card (cards written before checksums load unchecked).
 */
export async function loadModelArtifacts(json: tf.io.ModelJSON, label: string, readShard: ShardReader, limits: ModelFileLimits = {}): Promise<tf.io.ModelArtifacts> {
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const checksums = cardShardChecksums(json.userDefinedMetadata, paths, label);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      const expected = weightSpecsBytes(group.weights, label, limits);
      let found = 0;
      for (const path of group.paths) {
        const shard = await readShard(assertRelativeShardPath(path, label), expected - found);
        found += shard.byteLength;
        if (found > expected) break;
        const checksum = checksums?.get(path);
        if (checksum) await verifyShardChecksum(shard, checksum, label);
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
  return withoutShardChecksums(artifacts);
}

/**
 * Checks artifacts produced by any tfjs handler (IndexedDB, http, browser files, memory): they
 * carry weights, as many bytes as their specs describe, as many as the topology needs, and match
 * the model card's shard checksums when it has them.
 */
export async function checkModelArtifacts(artifacts: tf.io.ModelArtifacts, label: string, limits: ModelFileLimits = {}): Promise<tf.io.ModelArtifacts> {
  const specs = artifacts.weightSpecs;
  const data = artifacts.weightData;
  if (specs === undefined || data === undefined) throw noWeightsError(label);
  const expected = weightSpecsBytes(specs, label, limits);
  const buffer = tf.io.CompositeArrayBuffer.join(data);
  if (buffer.byteLength !== expected) {
    throw new Error(`${label}: weight data has ${buffer.byteLength} bytes but the weight specs need ${expected}; the stored model is corrupt`);
  }
  const max = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (artifacts.modelTopology && !(artifacts.modelTopology instanceof ArrayBuffer)) {
    assertTopologyWeights(artifacts.modelTopology, specs.reduce((n, spec) => n + weightSpecElements(spec), 0), label, max);
  }
  await verifyJoinedShards(artifacts, buffer, label);
  return withoutShardChecksums(artifacts);
}

/**
 * Handlers such as `tf.io.browserFiles` hand over the shards joined in manifest order; the card
 * lists them in that order with their sizes, so each slice is checked against its checksum.
 */
async function verifyJoinedShards(artifacts: tf.io.ModelArtifacts, buffer: ArrayBuffer, label: string): Promise<void> {
  const listed = cardShardChecksums(artifacts.userDefinedMetadata, undefined, label);
  if (!listed) return;
  const shards = [...listed.values()];
  const total = shards.reduce((n, s) => n + s.bytes, 0);
  if (total !== buffer.byteLength) {
    throw new Error(`${label}: the model card's weights.shards add up to ${total} bytes, the weight data has ${buffer.byteLength}; the shards are corrupt or mismatched`);
  }
  let at = 0;
  for (const shard of shards) {
    await verifyShardChecksum(buffer.slice(at, at + shard.bytes), shard, label);
    at += shard.bytes;
  }
}
