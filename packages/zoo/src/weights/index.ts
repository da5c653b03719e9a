export { loadKerasWeights, readKerasWeights, applyKerasWeights } from './load-keras-weights';
export type { LoadKerasWeightsOptions, LoadKerasWeightsResult } from './load-keras-weights';
export { saveKerasWeights, encodeKerasWeights, DEFAULT_KERAS_VERSION } from './save-keras-weights';
export type { SaveKerasWeightsOptions, SaveKerasWeightsResult, BytesSink } from './save-keras-weights';
export type { KerasWeightFile, KerasLayerWeights, KerasWeight } from './keras-file';
export type { LayerMatching, SkippedLayer } from './plan-weight-assignment';
export type { BinarySource } from './source/binary-source';
export { modelFromKerasJson, loadKerasModel } from './keras-model-json';
export type { KerasModelLoadResult } from './keras-model-json';
