import type * as tf from '@tensorflow/tfjs';
import { MODEL_CARD_KEY } from '../../card/metadata-key';
import { describeIssues } from '../../card/parse-model-card';
import { shardChecksumSchema, type ShardChecksum } from '../../card/schema';
import type { ModelFiles } from './model-files';

/**
 * SHA-256 of the shard bytes, through Web Crypto (native in Node and browsers): it is what
 * `sha256sum` prints, so a user can check a shard by hand, and it runs at memory speed, far below
 * the cost of decoding the weights. (A 32-bit hash would be as cheap but not checkable by tools.)
 * Undefined where Web Crypto is missing: browsers offer it on https and localhost only, and a page
 * served over plain http on a LAN must still load its models (sizes are still checked there).
 */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as ArrayBuffer | Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

let warnedNoCrypto = false;
function warnNoCrypto(label: string): void {
  if (warnedNoCrypto) return;
  warnedNoCrypto = true;
  console.warn(`${label}: shard checksums not checked: Web Crypto (crypto.subtle) is unavailable here (browsers offer it on https and localhost only); sizes are checked`);
}

type Metadata = Record<string, unknown> | undefined;

const cardOf = (metadata: Metadata) => {
  const card = metadata?.[MODEL_CARD_KEY] as { weights?: Record<string, unknown> } | undefined;
  return card && typeof card === 'object' && card.weights && typeof card.weights === 'object' ? card : undefined;
};

/** Records each shard's size and SHA-256 in the model card of `files.modelJson`, when it has one. */
export async function recordShardChecksums(files: ModelFiles, label: string): Promise<ModelFiles> {
  const metadata = files.modelJson.userDefinedMetadata as Metadata;
  const card = cardOf(metadata);
  if (!card) return files;
  const shards: ShardChecksum[] = [];
  for (const shard of files.shards) {
    const sha256 = await sha256Hex(shard.bytes);
    if (sha256 === undefined) {
      warnNoCrypto(label);
      return files;
    }
    shards.push({ path: shard.name, bytes: shard.bytes.byteLength, sha256 });
  }
  const userDefinedMetadata = { ...metadata, [MODEL_CARD_KEY]: { ...card, weights: { ...card.weights, shards } } };
  return { ...files, modelJson: { ...files.modelJson, userDefinedMetadata } };
}

/**
 * The shard checksums a model card lists, by path, in the card's order (undefined for cards
 * without them), checked against the manifest's paths when given: both must list the same shards
 * in the same order.
 */
export function cardShardChecksums(metadata: Metadata, manifestPaths: readonly string[] | undefined, label: string): Map<string, ShardChecksum> | undefined {
  const listed = cardOf(metadata)?.weights?.shards;
  if (listed === undefined) return undefined;
  const parsed = shardChecksumSchema.array().safeParse(listed);
  if (!parsed.success) throw new Error(`${label}: invalid model card: weights.shards: ${describeIssues(parsed.error)}`);
  const byPath = new Map(parsed.data.map((s) => [s.path, s]));
  if (byPath.size !== parsed.data.length) throw new Error(`${label}: the model card's weights.shards lists a shard twice; the model.json is corrupt`);
  if (manifestPaths === undefined) return byPath;
  // The order matters too: weights are read from the shards in manifest order.
  const cardPaths = [...byPath.keys()];
  if (cardPaths.length !== manifestPaths.length || cardPaths.some((p, i) => p !== manifestPaths[i])) {
    throw new Error(
      `${label}: the model card's weights.shards (${cardPaths.join(', ') || 'none'}) and "weightsManifest" (${manifestPaths.join(', ') || 'none'}) ` +
        "do not list the same shards in the same order; the model.json was edited or mixed with another model's",
    );
  }
  return byPath;
}

/** Refuses a shard whose size or SHA-256 differ from what the model card recorded, naming the shard file. */
export async function verifyShardChecksum(bytes: ArrayBuffer | Uint8Array, expected: ShardChecksum, label: string): Promise<void> {
  const where = `${label}: shard ${expected.path}`;
  if (bytes.byteLength !== expected.bytes) {
    throw new Error(`${where} has ${bytes.byteLength} bytes, the model card recorded ${expected.bytes}; the shard is corrupt or belongs to another model`);
  }
  const actual = await sha256Hex(bytes);
  if (actual === undefined) {
    warnNoCrypto(label);
    return;
  }
  if (actual !== expected.sha256) {
    throw new Error(`${where} does not match the model card's checksum (sha256 ${expected.sha256}, file has ${actual}); the shard is corrupt or belongs to another model`);
  }
}

/**
 * Artifacts without the card's shard checksums: once loaded, the weights no longer live in those
 * files, and a later save (to IndexedDB, ONNX, another folder) must not carry stale checksums.
 */
export function withoutShardChecksums<T extends Pick<tf.io.ModelArtifacts, 'userDefinedMetadata'>>(artifacts: T): T {
  const metadata = artifacts.userDefinedMetadata as Metadata;
  const card = cardOf(metadata);
  if (!card || card.weights?.shards === undefined) return artifacts;
  const { shards: _shards, ...weights } = card.weights!;
  return { ...artifacts, userDefinedMetadata: { ...metadata, [MODEL_CARD_KEY]: { ...card, weights } } };
}
