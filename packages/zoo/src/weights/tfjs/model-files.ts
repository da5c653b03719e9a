import * as tf from '@tensorflow/tfjs';
import { quantizeWeights, type QuantizationMode } from './quantize';

export interface ModelFilesOptions {
  /** Shard size in bytes. Default 4 MiB, as tfjs-converter writes. */
  shardBytes?: number;
  /** Quantise float32 weights on export. Default none. */
  quantize?: QuantizationMode | null;
}

export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/** model.json plus its shards, ready to be written wherever. */
export interface ModelFiles {
  modelJson: tf.io.ModelJSON;
  shards: Array<{ name: string; bytes: Uint8Array }>;
}

/** Turns save artifacts into model.json + `group1-shardNofM.bin` files, quantised if asked. */
export function encodeModelFiles(artifacts: tf.io.ModelArtifacts, options: ModelFilesOptions = {}): ModelFiles {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('Saving a binary (GraphDef) topology is not supported; save a layers model');
  }
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes < 1) throw new Error(`shardBytes must be a positive integer, got ${shardBytes}`);
  let specs = artifacts.weightSpecs ?? [];
  let data: ArrayBuffer = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  if (options.quantize) ({ specs, data } = quantizeWeights(specs, data, options.quantize));
  const count = Math.max(1, Math.ceil(data.byteLength / shardBytes));
  const shards = Array.from({ length: count }, (_, i) => ({
    name: `group1-shard${i + 1}of${count}.bin`,
    bytes: new Uint8Array(data.slice(i * shardBytes, Math.min(data.byteLength, (i + 1) * shardBytes))),
  }));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: specs.length === 0 ? [] : shards.map((s) => s.name), weights: specs }],
  };
  if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.signature) modelJson.signature = artifacts.signature;
  return { modelJson, shards: specs.length === 0 ? [] : shards };
}

/** Applies export quantisation to artifacts (for handlers that write artifacts themselves, e.g. downloads). */
export function quantizeArtifacts(artifacts: tf.io.ModelArtifacts, mode: QuantizationMode | null | undefined): tf.io.ModelArtifacts {
  if (!mode || !artifacts.weightSpecs || artifacts.weightData === undefined) return artifacts;
  const { specs, data } = quantizeWeights(artifacts.weightSpecs, tf.io.CompositeArrayBuffer.join(artifacts.weightData), mode);
  return { ...artifacts, weightSpecs: specs, weightData: data };
}
