import type { BlockType } from '../models/stages';

/** Keras `imagenet_utils.preprocess_input` modes. */
export type PreprocessingMode =
  /** RGB -> BGR, subtract the ImageNet BGR mean, no scaling (Keras ResNet v1). */
  | 'caffe'
  /** Scale to [-1, 1] (Keras ResNet v2). */
  | 'tf'
  /** Scale to [0, 1], subtract the ImageNet mean, divide by its std (torchvision). */
  | 'torch';

/**
 * How to turn 0..255 RGB pixels into model input: reorder channels to `channelOrder`, then
 * `(pixel - mean[c]) / std[c]`, with mean/std in 0..255 pixel units and in `channelOrder`.
 */
export interface PreprocessingConfig {
  mode: PreprocessingMode;
  channelOrder: 'rgb' | 'bgr';
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** A variant's default configuration: its architecture plus what callers need around it. */
export interface ModelConfig {
  /** Registry name, e.g. `resnet50`. */
  name: string;
  /** Residual block family. */
  blockType: BlockType;
  /** Blocks in stages conv2..conv5, e.g. [3, 4, 6, 3]. */
  blocksPerStage: readonly number[];
  /** Pre-activation (v2) network. */
  preact: boolean;
  /** Bias on the stem convolution. */
  useBias: boolean;
  /** Epsilon of every BatchNormalization. Default Keras's 1.001e-5; torchvision/timm use 1e-5. */
  bnEpsilon?: number;
  /** Default input shape `[height, width, channels]`. */
  inputSize: readonly [number, number, number];
  /** Classes of the reference (ImageNet) classifier. */
  numClasses: number;
  /** Resize interpolation for preprocessing. */
  interpolation: 'bilinear' | 'nearest';
  /** Center-crop fraction used for evaluation (timm's `crop_pct`). */
  cropPct: number;
  /** Pixel normalisation the reference weights expect. */
  preprocessing: PreprocessingConfig;
  /** Name of the first convolution (where input channels meet weights). */
  firstConv: string;
  /** Name of the classifier layer. */
  classifier: string;
}

const IMAGENET_BGR_MEAN = [103.939, 116.779, 123.68] as const;

/** Keras `preprocess_input(mode='caffe')`. */
export const CAFFE_PREPROCESSING: PreprocessingConfig = {
  mode: 'caffe',
  channelOrder: 'bgr',
  mean: IMAGENET_BGR_MEAN,
  std: [1, 1, 1],
};

/** Keras `preprocess_input(mode='tf')`: `x / 127.5 - 1`. */
export const TF_PREPROCESSING: PreprocessingConfig = {
  mode: 'tf',
  channelOrder: 'rgb',
  mean: [127.5, 127.5, 127.5],
  std: [127.5, 127.5, 127.5],
};

/** Keras `preprocess_input(mode='torch')`: ImageNet mean/std (0.485, 0.456, 0.406)/(0.229, 0.224, 0.225) x 255. */
export const TORCH_PREPROCESSING: PreprocessingConfig = {
  mode: 'torch',
  channelOrder: 'rgb',
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
};
