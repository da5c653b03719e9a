export { assertRelativeShardPath } from './shard-paths';
export { weightSpecBytes, weightSpecsBytes, DEFAULT_MAX_WEIGHT_BYTES, DEFAULT_MAX_RANK, type ModelFileLimits } from './weight-specs';
export { parseModelJson, loadModelArtifacts, checkModelArtifacts, type ShardReader } from './model-artifacts';
export { encodeModelFiles, quantizeArtifacts, DEFAULT_SHARD_BYTES, type ModelFiles, type ModelFilesOptions } from './model-files';
export { quantizeWeights, float32ToFloat16Bits, type QuantizationMode } from './quantize';
export { guardIOHandler, type GuardOptions } from './guard-handler';
export { safeHttpIO, type SafeHttpOptions } from './safe-http-io';
