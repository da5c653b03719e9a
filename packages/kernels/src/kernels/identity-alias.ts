import * as tf from '@tensorflow/tfjs';
import { captureStockKernel, WASM } from '../wasm/stock-kernels';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Identity (and Cast to the same dtype) as a reference to the input's buffer, as the cpu backend
 * does: tensors are immutable, so a copy buys nothing. The stock wasm kernels copy the whole
 * tensor, and a ResNet training step runs Identity over activations hundreds of times (gradient
 * bookkeeping, tf.clone, Cast in the ReLU gradient).
 */
function alias(x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

export function identityConfig(): tf.KernelConfig {
  const stock = captureStockKernel(tf.Identity);
  return {
    kernelName: tf.Identity,
    backendName: WASM,
    setupFunc: stock.setupFunc,
    kernelFunc: ((args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      return x.dtype === 'string' ? stock.kernelFunc(args as any) : alias(x, args.backend);
    }) as unknown as tf.KernelFunc,
  };
}

export function castConfig(): tf.KernelConfig {
  const stock = captureStockKernel(tf.Cast);
  return {
    kernelName: tf.Cast,
    backendName: WASM,
    setupFunc: stock.setupFunc,
    kernelFunc: ((args: KernelArgs) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { dtype } = args.attrs as { dtype: tf.DataType };
      return x.dtype === dtype && dtype !== 'string' ? alias(x, args.backend) : stock.kernelFunc(args as any);
    }) as unknown as tf.KernelFunc,
  };
}
