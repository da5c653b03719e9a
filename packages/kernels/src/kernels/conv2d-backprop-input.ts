import * as tf from '@tensorflow/tfjs';
import { reverseBlocks, scatterAddPatches } from '../wasm/heap-copies';
import { type KernelScope, withKernelScope } from '../wasm/kernel-scope';
import { captureStockKernel, WASM } from '../wasm/stock-kernels';
import { type ConvGradientAttrs, forwardConvInfo } from './conv-info';

interface Conv2DBackpropInputAttrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Stride 1: dx = the convolution of dy with the filter flipped in space and with its in/out
 * channels swapped, padded by (K-1-pad) (a 1x1 filter needs no flip); XNNPACK runs it.
 * Padding may come out negative (forward padding larger than K-1, or input rows the forward conv
 * never read); a stride-1 convolution over a cropped input is the same output cropped, so the
 * convolution runs with the positive part and the result is sliced to the input shape.
 * Strided convolutions go through columns instead (see viaColumns).
 */
function conv2DBackpropInput(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const info = forwardConvInfo(
    tf.Conv2DBackpropInput,
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs,
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { batchSize, inHeight, inWidth, inChannels } = info;
  if (sh > 1 || sw > 1) {
    return withKernelScope(args.backend, (scope) => viaColumns(scope, dy, filter, info));
  }
  return withKernelScope(args.backend, (scope) => {
    const swapped = scope.transpose(filter, [0, 1, 3, 2]);
    const flipped = kh * kw > 1 ? scope.track(reverseBlocks(args.backend, swapped, kh * kw)) : swapped;
    const padTop = kh - 1 - info.padInfo.top;
    const padLeft = kw - 1 - info.padInfo.left;
    const cropTop = Math.max(0, -padTop);
    const cropLeft = Math.max(0, -padLeft);
    const top = Math.max(0, padTop);
    const left = Math.max(0, padLeft);
    const bottom = Math.max(0, cropTop + inHeight + kh - 1 - dy.shape[1] - top);
    const right = Math.max(0, cropLeft + inWidth + kw - 1 - dy.shape[2] - left);
    let grad = scope.conv2d(dy, flipped, { pads: [top, bottom, left, right] });
    if (grad.shape[1] !== inHeight || grad.shape[2] !== inWidth || cropTop > 0 || cropLeft > 0) {
      grad = scope.slice(grad, [0, cropTop, cropLeft, 0], [batchSize, inHeight, inWidth, inChannels]);
    }
    return grad;
  });
}

/**
 * Strided convolutions (the 7x7/2 stem, 1x1/2 projections): interleaving zeros into dy would make
 * the convolution s^2 times larger (and the stem's 3 output channels run it at a fraction of
 * XNNPACK's speed), and moving the zeros around costs full-size copies. Instead:
 * columns [positions, KH*KW*Cin] = dy [positions, Cout] x W^T [Cout, KH*KW*Cin] (a 1x1
 * convolution GEMM with a small filter), then col2im adds every column back into dx.
 */
function viaColumns(
  scope: KernelScope,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: ReturnType<typeof forwardConvInfo>,
): tf.TensorInfo {
  const { filterHeight, filterWidth, inChannels, outChannels, outHeight, outWidth, batchSize } = info;
  const positions = batchSize * outHeight * outWidth;
  const filterRows = scope.reshape(filter, [filterHeight * filterWidth * inChannels, outChannels]);
  const columns = scope.matMul(scope.reshape(dy, [positions, outChannels]), scope.transpose(filterRows, [1, 0]));
  return scope.track(
    scatterAddPatches(scope.backend, columns, {
      outShape: [batchSize, info.inHeight, info.inWidth, inChannels],
      filterHeight,
      filterWidth,
      outHeight,
      outWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    }),
  );
}

export function conv2DBackpropInputConfig(): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: WASM,
    // Keep the stock setup so the stock kernel still works if a caller captured it.
    setupFunc: captureStockKernel(tf.Conv2DBackpropInput).setupFunc,
    kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
  };
}
