import * as tf from '@tensorflow/tfjs';
import { withKernelScope } from '../wasm/kernel-scope';
import { captureStockKernel, WASM } from '../wasm/stock-kernels';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Stock wasm BatchMatMul reaches XNNPACK only for one untransposed [1,M,K] x [1,K,N] product and
 * runs a scalar loop otherwise. This materializes transposes (cheap, O(size)) and splits batches
 * into single products so every multiply takes the XNNPACK path.
 */
function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }) {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const stock = captureStockKernel(tf.BatchMatMul);
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (!transposeA && !transposeB && batchA === 1 && batchB === 1) {
    return stock.kernelFunc(args as any) as tf.TensorInfo;
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`@resnet-ts/kernels BatchMatMul (wasm): float32 inputs expected, got ${a.dtype} and ${b.dtype}.`);
  }
  const outerDims = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return withKernelScope(args.backend, (scope) => {
    const rows = (info: tf.TensorInfo, batch: number, transposed: boolean): tf.TensorInfo => {
      const r = info.shape.length;
      const [d0, d1] = [info.shape[r - 2], info.shape[r - 1]];
      const as3d = scope.reshape(info, [batch, d0, d1]);
      return transposed ? scope.transpose(as3d, [0, 2, 1]) : as3d;
    };
    const a3 = rows(a, batchA, transposeA);
    const b3 = rows(b, batchB, transposeB);
    const [m, k] = [a3.shape[1], a3.shape[2]];
    const [k2, n] = [b3.shape[1], b3.shape[2]];
    if (k !== k2) {
      throw new Error(
        `@resnet-ts/kernels BatchMatMul (wasm): inner dimensions ${k} and ${k2} of shapes ` +
          `[${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) differ.`,
      );
    }
    const batch = Math.max(batchA, batchB);
    const noTranspose = { transposeA: false, transposeB: false };
    const product = (x: tf.TensorInfo, y: tf.TensorInfo) =>
      scope.run(tf.BatchMatMul, { a: x, b: y }, noTranspose);
    let out: tf.TensorInfo;
    if (batch === 1) {
      out = product(a3, b3);
    } else {
      const parts: tf.TensorInfo[] = [];
      for (let i = 0; i < batch; i++) {
        const ai = batchA === 1 ? a3 : scope.slice(a3, [i, 0, 0], [1, m, k]);
        const bi = batchB === 1 ? b3 : scope.slice(b3, [i, 0, 0], [1, k, n]);
        parts.push(product(ai, bi));
      }
      out = scope.run('Concat', parts as unknown as tf.NamedTensorInfoMap, { axis: 0 });
    }
    return scope.reshape(out, [...outerDims, m, n]);
  });
}

export function batchMatMulConfig(): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: WASM,
    setupFunc: captureStockKernel(tf.BatchMatMul).setupFunc,
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  };
}
