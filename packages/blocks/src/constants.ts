/** BatchNormalization epsilon used by every Keras ResNet (`keras/src/applications/resnet.py`). */
export const BN_EPSILON = 1.001e-5;

/** BatchNormalization epsilon of PyTorch's `nn.BatchNorm2d`, so of torchvision and timm ResNets. */
export const TORCH_BN_EPSILON = 1e-5;

export interface BatchNormOptions {
  /** Epsilon of every BatchNormalization added. Default `BN_EPSILON` (Keras); `TORCH_BN_EPSILON` for torchvision/timm weights. */
  bnEpsilon?: number;
}

/** Channels-last: the channel axis of every BatchNormalization. */
export const CHANNEL_AXIS = -1;

/** Output channels of the stem convolution (all ResNets). */
export const STEM_FILTERS = 64;
