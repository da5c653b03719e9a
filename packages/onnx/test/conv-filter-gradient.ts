import * as tf from '@tensorflow/tfjs';

/**
 * tfjs cpu's Conv2DBackpropFilter is a naive loop nest: about 70 s for ResNet18 at 32x32 batch 2 on
 * a loaded 2-core machine, past any test budget. This is the same function as a tap-by-tap loop
 * with the output channels innermost (about 100x faster); `training-graph.test.ts` checks it
 * against tfjs's own kernel before the zoo tests use it.
 */
export function fastConv2DBackpropFilter(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const dw = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyOffset = ((n * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * strideHeight + ky - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * strideWidth + kx - left;
            if (ix < 0 || ix >= inWidth) continue;
            const xOffset = ((n * inHeight + iy) * inWidth + ix) * inChannels;
            const wOffset = (ky * filterWidth + kx) * inChannels * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xv = x[xOffset + c];
              if (xv === 0) continue;
              const row = wOffset + c * outChannels;
              for (let o = 0; o < outChannels; o++) dw[row + o] += xv * dy[dyOffset + o];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dw);
}

let original: tf.KernelConfig | undefined;

/** Swaps the cpu backend's Conv2DBackpropFilter for {@link fastConv2DBackpropFilter} (NHWC, dilation 1). */
export function useFastConv2DFilterGradient(): void {
  if (original) return;
  original = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number];
        pad: 'same' | 'valid' | number;
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
      const cpu = backend as unknown as { readSync(id: object): Float32Array; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo };
      return cpu.makeTensorInfo(filterShape, 'float32', fastConv2DBackpropFilter(cpu.readSync(x.dataId), cpu.readSync(dy.dataId), info));
    },
  });
}

/** Puts tfjs's own kernel back. */
export function restoreConv2DFilterGradient(): void {
  if (!original) return;
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel(original);
  original = undefined;
}
