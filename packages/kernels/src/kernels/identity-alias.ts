import * as tf from '@tensorflow/tfjs';
import { withStockFallback } from '../wasm/stock-kernels';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Identity (and Cast to the same dtype) as a reference to the input's buffer, as the cpu backend
 * does: tensors are immutable, so a copy buys nothing. The stock wasm kernels copy the whole
 * tensor, and a ResNet training step runs Identity over activations hundreds of times (gradient
 * bookkeeping, tf.clone, Cast in the ReLU gradient). Strings go to the stock kernels.
 */
function alias(x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  (backend as unknown as RefCountingBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function identityConfig(): tf.KernelConfig {
  return withStockFallback(tf.Identity, ({ inputs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    return x.dtype === 'string' ? null : alias(x, backend);
  });
}

export function castConfig(): tf.KernelConfig {
  return withStockFallback(tf.Cast, ({ inputs, attrs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { dtype } = attrs as { dtype: tf.DataType };
    return x.dtype === dtype && dtype !== 'string' ? alias(x, backend) : null;
  });
}
