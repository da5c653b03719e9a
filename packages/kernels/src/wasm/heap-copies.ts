import type * as tf from '@tensorflow/tfjs';
import { simdKernelsFor } from './simd-module';

/** The parts of tfjs-backend-wasm's BackendWasm this file uses. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
}

/** Byte address of a tensor's data in the wasm heap (what the SIMD module's functions take). */
export function heapAddress(backend: tf.KernelBackend, info: tf.TensorInfo): number {
  return (backend as unknown as WasmHeapBackend).dataIdMap.get(info.dataId).memoryOffset;
}

/** Which patches {@link gatherPatches} copies: those of a group of images of a padded NHWC input. */
export interface PatchWindow {
  firstImage: number;
  images: number;
  filterHeight: number;
  filterWidth: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
}

/**
 * Transposed im2col: from a padded channels-first input x [C, N, H, W], copies into row
 * (kh, kw, c) of a new [KH*KW*C, images*OH*OW] tensor the values that filter tap (kh, kw) reads
 * in channel c at every output position of the group's images.
 *
 * The SIMD module's gather_runs (or a plain typed-array loop without wasm SIMD) over the wasm
 * heap; along an output row the reads are contiguous (or strided by the conv stride) in this layout. The stock StridedSlice would take one kernel call
 * per tap and walks elements with index arithmetic, ~50x slower.
 */
export function gatherPatchesTransposed(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  window: PatchWindow,
): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const [channels, batch, height, width] = x.shape;
  const { firstImage, images, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth } = window;
  const positions = images * outHeight * outWidth;
  const out = wasm.makeOutput([filterHeight * filterWidth * channels, positions], 'float32');
  const imageSize = height * width;
  const simd = simdKernelsFor(wasm.wasm);
  if (simd) {
    // One call per (tap, channel): all the group's images and output rows, SIMD along each row.
    const sourceBytes = heapAddress(backend, x);
    let targetBytes = heapAddress(backend, out);
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        for (let c = 0; c < channels; c++) {
          const channelStart = (c * batch + firstImage) * imageSize + kh * width + kw;
          simd.gather_runs(sourceBytes + 4 * channelStart, targetBytes, images, imageSize, outHeight, strideHeight * width, outWidth, strideWidth);
          targetBytes += 4 * positions;
        }
      }
    }
    return out;
  }
  // Views are taken after allocating: a heap growth replaces the buffer.
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4;
  let target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      for (let c = 0; c < channels; c++) {
        const channelStart = source + (c * batch + firstImage) * imageSize + kh * width + kw;
        for (let n = 0; n < images; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const rowStart = channelStart + n * imageSize + oh * strideHeight * width;
            if (strideWidth === 1 && outWidth >= 16) {
              heap.copyWithin(target, rowStart, rowStart + outWidth);
              target += outWidth;
            } else {
              for (let ow = 0; ow < outWidth; ow++) heap[target++] = heap[rowStart + ow * strideWidth];
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * im2col: copies, for every output position of the group's images, the KH*KW*C values its filter
 * window reads from the padded NHWC input x into one row of a new [images*OH*OW, KH*KW*C] tensor,
 * in filter order (kh, kw, c). Memmoves on the wasm heap: a window row (KW*C values) is
 * contiguous in NHWC, and for a 1x1 filter with width stride 1 so is a whole output row.
 */
export function gatherPatches(backend: tf.KernelBackend, x: tf.TensorInfo, window: PatchWindow): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const [, height, width, channels] = x.shape;
  const { firstImage, images, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth } = window;
  const run = filterWidth * channels;
  const out = wasm.makeOutput([images * outHeight * outWidth, filterHeight * run], 'float32');
  // Views are taken after allocating: a heap growth replaces the buffer.
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4;
  let target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
  const wholeRows = filterHeight === 1 && filterWidth === 1 && strideWidth === 1;
  for (let n = firstImage; n < firstImage + images; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = source + (n * height + oh * strideHeight) * width * channels;
      if (wholeRows) {
        heap.copyWithin(target, rowStart, rowStart + outWidth * channels);
        target += outWidth * channels;
        continue;
      }
      for (let ow = 0; ow < outWidth; ow++) {
        const windowStart = rowStart + ow * strideWidth * channels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const from = windowStart + kh * width * channels;
          heap.copyWithin(target, from, from + run);
          target += run;
        }
      }
    }
  }
  return out;
}

/** Rows [start, start+count) of the row-major tensor x (rows along axis 0) as a new tensor. */
export function sliceRows(backend: tf.KernelBackend, x: tf.TensorInfo, start: number, count: number): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = wasm.makeOutput([count, ...x.shape.slice(1)], 'float32');
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4 + start * rowSize;
  heap.copyWithin(wasm.dataIdMap.get(out.dataId).memoryOffset / 4, source, source + count * rowSize);
  return out;
}

/**
 * Reverses the order of the leading `blocks` equal slices of x (e.g. the KH*KW spatial taps of a
 * filter [KH,KW,A,B]: a spatial flip), as one memmove per slice. The stock Reverse walks elements.
 */
export function reverseBlocks(backend: tf.KernelBackend, x: tf.TensorInfo, blocks: number): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const size = x.shape.reduce((a, b) => a * b, 1);
  const blockSize = size / blocks;
  const out = wasm.makeOutput([...x.shape], 'float32');
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const source = wasm.dataIdMap.get(x.dataId).memoryOffset / 4;
  const target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
  for (let i = 0; i < blocks; i++) {
    const from = source + (blocks - 1 - i) * blockSize;
    heap.copyWithin(target + i * blockSize, from, from + blockSize);
  }
  return out;
}

/** Where {@link scatterAddPatches} adds: the unpadded NHWC shape and the forward padding. */
export interface ScatterWindow extends Omit<PatchWindow, 'firstImage' | 'images'> {
  outShape: [number, number, number, number];
  padTop: number;
  padLeft: number;
}

/**
 * col2im: the adjoint of gatherPatches. Adds row p of `patches` [N*OH*OW, KH*KW*C] (filter order
 * kh, kw, c) into the input pixels that output position p's window covers, in a new zeroed NHWC
 * tensor of `outShape`; window cells in the padding are dropped.
 */
export function scatterAddPatches(backend: tf.KernelBackend, patches: tf.TensorInfo, window: ScatterWindow): tf.TensorInfo {
  const wasm = backend as unknown as WasmHeapBackend;
  const { outShape, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, padTop, padLeft } = window;
  const [batch, height, width, channels] = outShape;
  const out = wasm.makeOutput([...outShape], 'float32');
  // Views are taken after allocating: a heap growth replaces the buffer.
  const heap = new Float32Array(wasm.wasm.HEAPU8.buffer);
  const target = wasm.dataIdMap.get(out.dataId).memoryOffset / 4;
  heap.fill(0, target, target + batch * height * width * channels);
  let source = wasm.dataIdMap.get(patches.dataId).memoryOffset / 4;
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const h = oh * strideHeight + kh - padTop;
          for (let kw = 0; kw < filterWidth; kw++) {
            const w = ow * strideWidth + kw - padLeft;
            if (h >= 0 && h < height && w >= 0 && w < width) {
              const pixel = target + ((n * height + h) * width + w) * channels;
              for (let c = 0; c < channels; c++) heap[pixel + c] += heap[source + c];
            }
            source += channels;
          }
        }
      }
    }
  }
  return out;
}
