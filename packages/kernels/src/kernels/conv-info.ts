import * as tf from '@tensorflow/tfjs';

type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** Attributes shared by the two convolution gradient kernels. */
export interface ConvGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Conv geometry of the forward convolution whose gradient a kernel computes (NHWC only). */
export function forwardConvInfo(
  kernelName: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: ConvGradientAttrs,
): Conv2DInfo {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new Error(`@resnet-ts/kernels ${kernelName} (wasm): dataFormat '${attrs.dataFormat}' is not supported; use NHWC.`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
}
