import * as tf from '@tensorflow/tfjs';
import { withKernelScope } from '../wasm/kernel-scope';
import { WASM } from '../wasm/stock-kernels';
import { type ConvGradientAttrs, forwardConvInfo } from './conv-info';

interface Conv2DBackpropFilterAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co].
 *
 * That is a forward convolution XNNPACK runs fast: input x with channels and batch swapped
 * ([Cin,H,W,N]: Cin becomes the batch), filter dy as [OH,OW,N,Cout], the forward stride as
 * dilation, the forward padding kept; the output [Cin,KH,KW,Cout] is transposed to the filter
 * layout. Padding at the bottom/right is only what the last taps need; extra output is cut off.
 */
function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = forwardConvInfo(
    tf.Conv2DBackpropFilter,
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs,
  );
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } = info;
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - top);
  const right = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - left);

  return withKernelScope(args.backend, (scope) => {
    const input = scope.transpose(x, [3, 1, 2, 0]);
    const filter = scope.transpose(dy, [1, 2, 0, 3]);
    let grad = scope.conv2d(input, filter, {
      dilations: [strideHeight, strideWidth],
      pads: [top, bottom, left, right],
    });
    if (grad.shape[1] !== filterHeight || grad.shape[2] !== filterWidth) {
      grad = scope.slice(grad, [0, 0, 0, 0], [info.inChannels, filterHeight, filterWidth, info.outChannels]);
    }
    return scope.transpose(grad, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
