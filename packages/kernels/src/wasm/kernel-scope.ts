import * as tf from '@tensorflow/tfjs';
import { fastTranspose } from '../kernels/transpose';
import { captureStockKernel } from './stock-kernels';

/** A backend as kernels see it: tfjs's KernelBackend plus the data release wasm kernels use. */
export type KernelBackendLike = tf.KernelBackend;

/**
 * Runs stock wasm kernels on raw TensorInfos from inside another kernel and frees every
 * intermediate result on `dispose()` except those handed out with `keep()`.
 *
 * Kernels receive TensorInfos, not Tensors, so tf.tidy cannot track what they allocate; this does.
 */
export class KernelScope {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(readonly backend: KernelBackendLike) {}

  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const kernel = captureStockKernel(name);
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as tf.TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  /** Adds a TensorInfo made outside `run` to the temporaries and returns it. */
  track(info: tf.TensorInfo): tf.TensorInfo {
    this.temporaries.push(info);
    return info;
  }

  /** Frees one temporary now. */
  release(info: tf.TensorInfo): void {
    this.keep(info);
    this.backend.disposeData(info.dataId);
  }

  /** Removes `info` from the temporaries (the caller now owns it) and returns it. */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const index = this.temporaries.indexOf(info);
    if (index >= 0) this.temporaries.splice(index, 1);
    return info;
  }

  dispose(): void {
    for (const info of this.temporaries) this.backend.disposeData(info.dataId);
    this.temporaries.length = 0;
  }

  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    const fast = fastTranspose(this.backend, x, perm);
    return fast ? this.track(fast) : this.run('Transpose', { x }, { perm });
  }

  slice(x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }

  /** Strided slice [begin, end) with the given steps, no masks. */
  stridedSlice(x: tf.TensorInfo, begin: number[], end: number[], strides: number[]): tf.TensorInfo {
    return this.run(
      'StridedSlice',
      { x },
      { begin, end, strides, beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 },
    );
  }

  /**
   * a [M,K] x b [K,N] as a 1x1 convolution (a: M pixels of K channels, b: the filter), which
   * XNNPACK runs as a plain GEMM on the backend's thread pool, faster than the stock BatchMatMul.
   */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
    const [m, k] = a.shape;
    const n = b.shape[1];
    const out = this.conv2d(this.reshape(a, [1, 1, m, k]), this.reshape(b, [1, 1, k, n]), { pads: [0, 0, 0, 0] });
    return this.reshape(out, [m, n]);
  }

  concat(parts: tf.TensorInfo[], axis: number): tf.TensorInfo {
    return parts.length === 1 ? parts[0] : this.run('Concat', parts as unknown as tf.NamedTensorInfoMap, { axis });
  }

  pad(x: tf.TensorInfo, paddings: Array<[number, number]>): tf.TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /** NHWC convolution with explicit padding [top, bottom, left, right]. */
  conv2d(
    x: tf.TensorInfo,
    filter: tf.TensorInfo,
    options: { strides?: [number, number]; dilations?: [number, number]; pads: [number, number, number, number] },
  ): tf.TensorInfo {
    const [top, bottom, left, right] = options.pads;
    return this.run(
      'Conv2D',
      { x, filter },
      {
        strides: options.strides ?? [1, 1],
        dilations: options.dilations ?? [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      } as unknown as tf.NamedAttrMap,
    );
  }
}

/** Runs `body` with a fresh scope; frees the scope's temporaries, keeps what `body` returns. */
export function withKernelScope(backend: KernelBackendLike, body: (scope: KernelScope) => tf.TensorInfo): tf.TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
