/**
 * Pixel normalisation presets. 'caffe', 'torch' and 'tf' follow Keras
 * `keras/src/applications/imagenet_utils.py` (`preprocess_input`, channels_last):
 * - 'caffe': RGB -> BGR, then subtract the ImageNet mean per BGR channel [103.939, 116.779, 123.68]; no scaling.
 * - 'torch': x / 255, subtract mean [0.485, 0.456, 0.406], divide by std [0.229, 0.224, 0.225] (RGB).
 * - 'tf':    x / 127.5 - 1, so values lie in [-1, 1].
 * - 'unit':  x / 255, values in [0, 1].
 * - 'raw':   x unchanged, values in [0, 255].
 */
export type NormalizationPreset = 'caffe' | 'torch' | 'tf' | 'unit' | 'raw';

export const NORMALIZATION_PRESETS: readonly NormalizationPreset[] = ['caffe', 'torch', 'tf', 'unit', 'raw'];

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Normalises RGB pixel values on the 0..255 scale in place (`values.length` must be a multiple of 3).
 */
export function normalizeInPlace(values: Float32Array, preset: NormalizationPreset): void {
  const n = values.length;
  switch (preset) {
    case 'raw':
      return;
    case 'unit':
      for (let i = 0; i < n; i++) values[i] = values[i] / 255;
      return;
    case 'tf':
      for (let i = 0; i < n; i++) values[i] = values[i] / 127.5 - 1;
      return;
    case 'torch':
      for (let i = 0; i < n; i += 3) {
        for (let c = 0; c < 3; c++) values[i + c] = (values[i + c] / 255 - TORCH_MEAN[c]) / TORCH_STD[c];
      }
      return;
    case 'caffe':
      for (let i = 0; i < n; i += 3) {
        const r = values[i];
        values[i] = values[i + 2] - CAFFE_MEAN_BGR[0];
        values[i + 1] = values[i + 1] - CAFFE_MEAN_BGR[1];
        values[i + 2] = r - CAFFE_MEAN_BGR[2];
      }
      return;
    default:
      throw new Error(`Unknown normalization preset '${String(preset)}': use one of ${NORMALIZATION_PRESETS.join(', ')}`);
  }
}

/** Throws a helpful error for an unknown preset name (options often come from CLI flags or JSON). */
export function checkNormalization(preset: string): NormalizationPreset {
  if (!(NORMALIZATION_PRESETS as readonly string[]).includes(preset)) {
    throw new Error(`Unknown normalization preset '${preset}': use one of ${NORMALIZATION_PRESETS.join(', ')}`);
  }
  return preset as NormalizationPreset;
}
