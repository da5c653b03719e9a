import * as tf from '@tensorflow/tfjs';
import type { PreprocessingConfig, PreprocessingMode } from '../registry/model-config';

/** Keras `imagenet_utils`: the ImageNet mean in BGR order, 0..255 units ('caffe'). */
const CAFFE_BGR_MEAN = [103.939, 116.779, 123.68];
/** Keras `imagenet_utils`: the ImageNet mean and std in RGB order, 0..1 units ('torch'). */
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

function checkChannels(x: tf.Tensor, what: string): void {
  if (x.rank < 1 || x.shape[x.rank - 1] !== 3) {
    throw new Error(`preprocessInput: ${what} needs channels-last RGB input (last dimension 3), got shape [${x.shape.join(',')}]`);
  }
}

/**
 * Keras's `preprocess_input` for channels-last RGB pixels in 0..255 (any rank, last dim 3):
 * - 'caffe': RGB -> BGR, then subtract [103.939, 116.779, 123.68] (ResNet v1)
 * - 'tf': x / 127.5 - 1 (ResNet v2)
 * - 'torch': x / 255, subtract [0.485, 0.456, 0.406], divide by [0.229, 0.224, 0.225]
 * A model's own `PreprocessingConfig` (from `getModelConfig(name).preprocessing`) is accepted too.
 * Returns a new float32 tensor; the input is not disposed.
 */
export function preprocessInput(x: tf.Tensor, mode: PreprocessingMode | PreprocessingConfig = 'caffe'): tf.Tensor {
  const config = typeof mode === 'string' ? undefined : mode;
  const name = typeof mode === 'string' ? mode : mode.mode;
  return tf.tidy(() => {
    const pixels = x.toFloat();
    if (config) {
      checkChannels(x, 'a preprocessing config');
      const ordered = config.channelOrder === 'bgr' ? tf.reverse(pixels, -1) : pixels;
      return tf.div(tf.sub(ordered, tf.tensor1d([...config.mean])), tf.tensor1d([...config.std]));
    }
    switch (name) {
      case 'tf':
        return tf.sub(tf.div(pixels, 127.5), 1);
      case 'torch':
        checkChannels(x, "mode 'torch'");
        return tf.div(tf.sub(tf.div(pixels, 255), tf.tensor1d(TORCH_MEAN)), tf.tensor1d(TORCH_STD));
      case 'caffe':
        checkChannels(x, "mode 'caffe'");
        return tf.sub(tf.reverse(pixels, -1), tf.tensor1d(CAFFE_BGR_MEAN));
      default:
        throw new Error(`preprocessInput: unknown mode ${JSON.stringify(name)}; use 'caffe', 'tf' or 'torch'`);
    }
  });
}
