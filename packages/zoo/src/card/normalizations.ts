/**
 * Pixel normalisation presets a model card may name: the preset names of `@resnet-ts/data`'s
 * pipeline (`NORMALIZATION_PRESETS`), which the zoo cannot import (layering). A test in
 * `@resnet-ts/trainer`, which sees both packages, checks that the two lists agree.
 * 'caffe', 'tf' and 'torch' are Keras's `preprocess_input` modes (see `PreprocessingMode`);
 * 'unit' is x / 255 and 'raw' leaves 0..255 values as they are.
 */
export const MODEL_CARD_NORMALIZATIONS = ['caffe', 'torch', 'tf', 'unit', 'raw'] as const;

export type ModelCardNormalization = (typeof MODEL_CARD_NORMALIZATIONS)[number];
