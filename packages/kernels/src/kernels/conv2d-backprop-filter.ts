import * as tf from '@tensorflow/tfjs';
import { gatherPatches, gatherPatchesTransposed, sliceRows } from '../wasm/heap-copies';
import { withKernelScope } from '../wasm/kernel-scope';
import { WASM } from '../wasm/stock-kernels';
import { type ConvGradientAttrs, forwardConvInfo } from './conv-info';

interface Conv2DBackpropFilterAttrs extends ConvGradientAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Inner (reduction) length of each im2col product. XNNPACK packs the right operand [positions,
 * channels] on every call, and packing a tall operand costs far more than its size suggests
 * (measured: [8192, 256] ~18 ms, [8192, 64] ~2 ms). Short products summed afterwards run at
 * forward-convolution speed. (1x1 filters skip im2col and keep the packed operand narrow instead.)
 */
const POSITIONS_PER_PRODUCT = 512;

/** Largest divisor of `n` not above `limit` (at least 1). */
function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.max(1, Math.min(n, limit)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[n,oh,ow,co].
 *
 * As matrices: dW [KH*KW*Cin, Cout] = patches^T [KH*KW*Cin, positions] x dy [positions, Cout],
 * patches being the im2col of the padded input; the result is already the filter layout. The
 * product runs as a 1x1 convolution (patch rows as pixels, dy as the filter), which XNNPACK
 * computes as a GEMM on the backend's threads: the large matrix streams, the small one is packed.
 * Positions are cut into groups of whole images (see POSITIONS_PER_PRODUCT) so the patch matrix
 * stays cache-sized; the groups' products are summed. The input is padded and transposed to
 * channels-first once; patches are gathered from it in JS (see gatherPatchesTransposed).
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
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
  const { batchSize, inHeight, inWidth, inChannels, outChannels } = info;
  const { top, left } = info.padInfo;
  const pointwise = filterHeight === 1 && filterWidth === 1 && strideHeight === 1 && strideWidth === 1 && top + left === 0;
  if (pointwise) return pointwiseFilterGradient(args.backend, x, dy);
  // Rows/columns the last windows reach beyond the input are padded; unread ones are never copied.
  const bottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - top);
  const right = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - left);
  const images = largestDivisorAtMost(batchSize, Math.floor(POSITIONS_PER_PRODUCT / (outHeight * outWidth)));
  const groups = batchSize / images;
  const positions = images * outHeight * outWidth;

  return withKernelScope(args.backend, (scope) => {
    const padded =
      top + bottom + left + right > 0
        ? scope.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ])
        : x;
    const window = { filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, images };
    // XNNPACK packs the filter operand on every call (a strided copy) and streams the other:
    // the larger matrix goes in as pixels. Patches win for 3x3/7x7 taps, dy for wide 1x1 outputs.
    const patchesAsPixels = filterHeight * filterWidth * inChannels >= outChannels;
    const products: tf.TensorInfo[] = [];
    if (patchesAsPixels) {
      const channelsFirst = scope.transpose(padded, [3, 0, 1, 2]);
      const dyRows = scope.reshape(dy, [groups * positions, outChannels]);
      for (let g = 0; g < groups; g++) {
        const dyGroup = groups === 1 ? dyRows : scope.track(sliceRows(args.backend, dyRows, g * positions, positions));
        const patches = scope.track(
          gatherPatchesTransposed(args.backend, channelsFirst, { ...window, firstImage: g * images }),
        );
        products.push(scope.matMul(patches, dyGroup));
        // Free the group's operands (and XNNPACK's packed copy) now, not at the end.
        scope.release(patches);
        if (dyGroup !== dyRows) scope.release(dyGroup);
      }
    } else {
      const dyGroups = scope.transpose(scope.reshape(dy, [groups, positions, outChannels]), [0, 2, 1]);
      for (let g = 0; g < groups; g++) {
        const dyT = scope.reshape(
          groups === 1 ? dyGroups : scope.track(sliceRows(args.backend, dyGroups, g, 1)),
          [outChannels, positions],
        );
        const patches = scope.track(gatherPatches(args.backend, padded, { ...window, firstImage: g * images }));
        products.push(scope.matMul(dyT, patches));
        scope.release(patches);
      }
    }
    const summed = products.length === 1 ? products[0] : scope.run('AddN', products as any);
    const filterRows = patchesAsPixels ? summed : scope.transpose(summed, [1, 0]);
    return scope.reshape(filterRows, [filterHeight, filterWidth, inChannels, outChannels]);
  });
}

/**
 * 1x1 stride-1 filters (most of a bottleneck ResNet): dW [Cin, Cout] = x^T [Cin, P] x dy [P, Cout]
 * over all P = N*H*W positions in one product, no patches. XNNPACK packs the right operand
 * [P, channels] on every call, and its packing slows down sharply with the channel count
 * (measured: [8192, 256] ~18 ms, [8192, 64] ~2 ms), so the narrower of x and dy goes on the right
 * and the wider one is transposed (a SIMD block transpose) to go on the left; with dy on the left
 * the product is dW^T, transposed back.
 */
function pointwiseFilterGradient(backend: tf.KernelBackend, x: tf.TensorInfo, dy: tf.TensorInfo): tf.TensorInfo {
  const inChannels = x.shape[3];
  const outChannels = dy.shape[3];
  const positions = x.shape[0] * x.shape[1] * x.shape[2];
  return withKernelScope(backend, (scope) => {
    const xRows = scope.reshape(x, [positions, inChannels]);
    const dyRows = scope.reshape(dy, [positions, outChannels]);
    const filterRows =
      outChannels <= inChannels
        ? scope.matMul(scope.transpose(xRows, [1, 0]), dyRows)
        : scope.transpose(scope.matMul(scope.transpose(dyRows, [1, 0]), xRows), [1, 0]);
    return scope.reshape(filterRows, [1, 1, inChannels, outChannels]);
  });
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
