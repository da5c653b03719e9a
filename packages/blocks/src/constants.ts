/** BatchNormalization epsilon used by every Keras ResNet (`keras/src/applications/resnet.py`). */
export const BN_EPSILON = 1.001e-5;

/** Channels-last: the channel axis of every BatchNormalization. */
export const CHANNEL_AXIS = -1;

/** Output channels of the stem convolution (all ResNets). */
export const STEM_FILTERS = 64;
