export { loadKerasWeights, readKerasWeights, applyKerasWeights } from './load-keras-weights';
export type { LoadKerasWeightsOptions, LoadKerasWeightsResult } from './load-keras-weights';
export { saveKerasWeights } from './save-keras-weights';
export type { SaveKerasWeightsOptions, SaveKerasWeightsResult, BytesSink } from './save-keras-weights';
export type { KerasWeightFile, KerasLayerWeights, KerasWeight } from './keras-file';
export type { LayerMatching, SkippedLayer } from './plan-weight-assignment';
export type { BinarySource } from './source/binary-source';
export { modelFromKerasJson, loadKerasModel } from './keras-model-json';
export type { KerasModelLoadResult } from './keras-model-json';
export { loadModelWeights, type LoadModelWeightsOptions } from './load-model-weights';
export { createPretrainedModel, type PretrainedModelOptions } from './create-pretrained-model';
export { readSafetensors, type SafetensorsFile, type SafetensorsTensor, type ReadSafetensorsOptions } from './safetensors/read-safetensors';
export type { SafetensorsDtype } from './safetensors/dtypes';
export { saveSafetensors, type SaveSafetensorsOptions, type SaveSafetensorsResult } from './save-safetensors';
export {
  imagenetWeightsSource,
  IMAGENET_WEIGHT_VARIANTS,
  KERAS_WEIGHTS_BASE_URL,
  type ImagenetWeightsSource,
  type ImagenetWeightsSourceOptions,
} from './imagenet-weight-files';
