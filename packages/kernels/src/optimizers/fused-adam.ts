import * as tf from '@tensorflow/tfjs';
import { heapAddress, type WasmHeapBackend } from '../wasm/heap-copies';
import { simdKernelsFor } from '../wasm/simd-module';
import { float32Views, isWasmBackend } from './float32-views';

/** Name of the fused Adam kernel (registered for the `wasm` and `cpu` backends). */
export const FUSED_ADAM = 'ResnetTsFusedAdam';

/** Hyper-parameters of one {@link fusedAdamUpdate}: Keras's Adam, with AdamW's decoupled decay. */
export interface FusedAdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t for the step t being taken (computed by the caller in float64). */
  biasCorrection1: number;
  biasCorrection2: number;
  /** Decoupled weight decay factor (lr x weightDecay); 0 for none. */
  decay: number;
}

export interface FusedAdamResult {
  value: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

const BACKENDS = ['wasm', 'cpu'] as const;
let registered = false;

/**
 * One Adam step in one pass over the four arrays (weight, first and second moment, gradient),
 * instead of the ~14 element-wise kernels the composed update runs (each a full pass over memory;
 * over ResNet50's 25M weights they took about 160 ms per step on wasm, the SIMD kernel 33 ms).
 * On wasm the SIMD kernel of wasm/simd-kernels.wat runs it in float32; elsewhere (cpu, or wasm
 * without SIMD) a JavaScript loop computes each element in float64 and rounds once.
 */
function fusedAdamKernel(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { x, m, v, g } = args.inputs as Record<'x' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const { lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2, decay } = args.attrs as unknown as FusedAdamAttrs;
  for (const [name, info] of Object.entries({ x, m, v, g })) {
    if (info.dtype !== 'float32' || !tf.util.arraysEqual(info.shape, x.shape)) {
      throw new Error(
        `${FUSED_ADAM}: input "${name}" must be float32 of shape [${x.shape}], got ${info.dtype} [${info.shape}].`,
      );
    }
  }
  const simd = isWasmBackend(args.backend) ? simdKernelsFor((args.backend as unknown as WasmHeapBackend).wasm) : null;
  if (simd) {
    // Same update in float32 SIMD lanes, 4 elements per instruction, on the wasm heap.
    const wasm = args.backend as unknown as WasmHeapBackend;
    const outputs = [0, 1, 2].map(() => wasm.makeOutput(x.shape, 'float32'));
    const at = (info: tf.TensorInfo) => heapAddress(args.backend, info);
    const [xOut, mOut, vOut] = outputs.map(at);
    const size = tf.util.sizeFromShape(x.shape);
    simd.adam(at(x), at(m), at(v), at(g), xOut, mOut, vOut, size, lr / biasCorrection1, beta1, beta2, 1 / biasCorrection2, epsilon, 1 - decay);
    return outputs;
  }
  const { outputs, views } = float32Views(args.backend, [x, m, v, g], 3);
  const [xs, ms, vs, gs, xOut, mOut, vOut] = views;
  const stepScale = lr / biasCorrection1;
  const keep = 1 - decay;
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let i = 0; i < xs.length; i++) {
    const grad = gs[i];
    const m1 = beta1 * ms[i] + oneMinusBeta1 * grad;
    const v1 = beta2 * vs[i] + oneMinusBeta2 * grad * grad;
    mOut[i] = m1;
    vOut[i] = v1;
    xOut[i] = xs[i] * keep - (stepScale * m1) / (Math.sqrt(v1 / biasCorrection2) + epsilon);
  }
  return outputs;
}

function registerFusedAdam(): void {
  if (registered) return;
  for (const backendName of BACKENDS) {
    if (tf.getKernel(FUSED_ADAM, backendName) == null) {
      tf.registerKernel({ kernelName: FUSED_ADAM, backendName, kernelFunc: fusedAdamKernel as unknown as tf.KernelFunc });
    }
  }
  registered = true;
}

/** Whether {@link fusedAdamUpdate} runs on the active backend (wasm and cpu; elsewhere use composed ops). */
export function fusedAdamAvailable(): boolean {
  registerFusedAdam();
  return tf.getKernel(FUSED_ADAM, tf.getBackend()) != null;
}

/**
 * Adam's new weight and moments from the current ones and a gradient, as new tensors (the caller
 * assigns them to its variables and frees them). Throws if the active backend has no fused kernel:
 * check {@link fusedAdamAvailable} first.
 */
export function fusedAdamUpdate(
  inputs: { value: tf.Tensor; m: tf.Tensor; v: tf.Tensor; grad: tf.Tensor },
  attrs: FusedAdamAttrs,
): FusedAdamResult {
  if (!fusedAdamAvailable()) {
    throw new Error(`${FUSED_ADAM}: no kernel for the "${tf.getBackend()}" backend; use composed ops there.`);
  }
  const { value, m, v, grad } = inputs;
  const [newValue, newM, newV] = tf.engine().runKernel(
    FUSED_ADAM,
    { x: value, m, v, g: grad } as unknown as tf.NamedTensorMap,
    attrs as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  return { value: newValue, m: newM, v: newV };
}
