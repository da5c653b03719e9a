import * as tf from '@tensorflow/tfjs';
import { reverseBlocks } from '../wasm/heap-copies';
import { type KernelScope, withKernelScope } from '../wasm/kernel-scope';
import { captureStockKernel, WASM } from '../wasm/stock-kernels';
import { type ConvGradientAttrs, forwardConvInfo } from './conv-info';

interface Conv2DBackpropInputAttrs extends ConvGradientAttrs {
  inputShape: [number, number, number, number];
}

/** Puts s-1 zeros after every row/column of NHWC `x`: [N,H,W,C] -> [N,H*sh,W*sw,C]. */
function interleaveZeros(scope: KernelScope, x: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const spread = scope.reshape(x, [n, h, 1, w, 1, c]);
  const padded = scope.pad(spread, [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return scope.reshape(padded, [n, h * sh, w * sw, c]);
}

/**
 * dx = the stride-1 convolution of dy (zeros interleaved for stride > 1) with the filter flipped
 * in space and with its in/out channels swapped, padded by (K-1-pad); XNNPACK runs it.
 *
 * Padding may come out negative (forward padding larger than K-1, or input rows the forward conv
 * never read); a stride-1 convolution over a cropped input is the same output cropped, so the
 * convolution runs with the positive part and the result is sliced to the input shape.
 * For 1x1 kernels the convolution runs first, on the small dy, and the zeros are placed after.
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

  return withKernelScope(args.backend, (scope) => {
    const swapped = scope.transpose(filter, [0, 1, 3, 2]);
    const flipped = kh * kw > 1 ? scope.track(reverseBlocks(args.backend, swapped, kh * kw)) : swapped;
    const pointwise = kh === 1 && kw === 1;
    // 1x1: convolve first (dy is small), spread the result; else spread dy and convolve.
    const source = pointwise
      ? interleaveZeros(scope, scope.conv2d(dy, flipped, { pads: [0, 0, 0, 0] }), sh, sw)
      : interleaveZeros(scope, dy, sh, sw);
    const padTop = kh - 1 - info.padInfo.top;
    const padLeft = kw - 1 - info.padInfo.left;
    const cropTop = Math.max(0, -padTop);
    const cropLeft = Math.max(0, -padLeft);
    const top = Math.max(0, padTop);
    const left = Math.max(0, padLeft);
    const bottom = Math.max(0, cropTop + inHeight + kh - 1 - source.shape[1] - top);
    const right = Math.max(0, cropLeft + inWidth + kw - 1 - source.shape[2] - left);

    let grad: tf.TensorInfo;
    if (pointwise) {
      grad =
        top + bottom + left + right > 0
          ? scope.pad(source, [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ])
          : source;
    } else {
      grad = scope.conv2d(source, flipped, { pads: [top, bottom, left, right] });
    }
    if (grad.shape[1] !== inHeight || grad.shape[2] !== inWidth || cropTop > 0 || cropLeft > 0) {
      grad = scope.slice(grad, [0, cropTop, cropLeft, 0], [batchSize, inHeight, inWidth, inChannels]);
    }
    return grad;
  });
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
