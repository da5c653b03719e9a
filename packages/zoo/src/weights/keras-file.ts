/** One weight array as stored in a Keras HDF5 file. */
export interface KerasWeight {
  /** The dataset path relative to the layer group, as listed in `weight_names` (`conv0_2/kernel:0`). */
  name: string;
  shape: number[];
  /** Values converted to float32 (Keras files hold float32, sometimes float16/float64). */
  values: Float32Array;
}

/** One layer group of a Keras HDF5 file, in the file's `layer_names` order. */
export interface KerasLayerWeights {
  name: string;
  weights: KerasWeight[];
}

/** What a Keras HDF5 weights file holds, independent of h5wasm. */
export interface KerasWeightFile {
  /**
   * `save_weights`: layers at the root; `model`: a full `model.save` file with `model_weights`;
   * `tfjs`: a tfjs model folder; `safetensors`: a PyTorch state dict (torchvision / timm names).
   */
  layout: 'save_weights' | 'model' | 'tfjs' | 'safetensors';
  /** `keras_version` root attribute; undefined in Keras 1 files. */
  kerasVersion?: string;
  backend?: string;
  /** The `model_config` JSON string of full-model files. */
  modelConfig?: string;
  layers: KerasLayerWeights[];
}

const KERAS2_WEIGHT_NAMES = new Set([
  'kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance',
  'depthwise_kernel', 'pointwise_kernel', 'recurrent_kernel', 'embeddings', 'alpha',
]);

/** Keras 1 suffixed weights with the layer name: `res2a_branch2a_W:0`, `bn_conv1_running_std:0`. */
const KERAS1_SUFFIXES: Array<[RegExp, string]> = [
  [/_W$/, 'kernel'],
  [/_b$/, 'bias'],
  [/_gamma$/, 'gamma'],
  [/_beta$/, 'beta'],
  [/_running_mean$/, 'moving_mean'],
  // Keras 1 called the variance "running_std" although it stored the variance.
  [/_running_std$/, 'moving_variance'],
];

/** Short name of a weight: `conv0_2/kernel:0` -> `kernel`; Keras 1 `res2a_branch2a_W:0` -> `kernel`. */
export function canonicalWeightName(name: string): string {
  const base = name.split('/').pop()!.replace(/:\d+$/, '');
  if (KERAS2_WEIGHT_NAMES.has(base)) return base;
  for (const [pattern, canonical] of KERAS1_SUFFIXES) if (pattern.test(base)) return canonical;
  return base;
}
