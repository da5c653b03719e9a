import { positive, unitInterval } from '../recipe/fields';
import * as tf from '@tensorflow/tfjs';
import { fusedAdamAvailable, fusedAdamUpdate } from '@resnet-ts/kernels';
import type { OptimizerDefinition, RuleStep } from './types';

/** Adam (Kingma & Ba) with Keras's defaults; with weight decay it is AdamW. */
export interface AdamSpec {
  type: 'adam';
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's hyper-parameters with Keras's defaults filled in. */
function adamSettings(spec: AdamSpec): { beta1: number; beta2: number; epsilon: number } {
  return { beta1: spec.beta1 ?? 0.9, beta2: spec.beta2 ?? 0.999, epsilon: spec.epsilon ?? 1e-7 };
}

/**
 * Adam through the one-pass kernel of @resnet-ts/kernels (wasm: float32 SIMD; cpu: float64 per
 * element): the same update as the composed one; results differ from it in the last bits only.
 */
function fusedUpdate({ spec, lr, t, variable, grad, weightDecay, slot }: RuleStep<AdamSpec>): tf.Tensor {
  const { beta1, beta2, epsilon } = adamSettings(spec);
  const m = slot('m');
  const v = slot('v');
  const g = grad.dtype === 'float32' ? grad : tf.cast(grad, 'float32');
  const next = fusedAdamUpdate(
    { value: variable, m, v, grad: g },
    { lr, beta1, beta2, epsilon, biasCorrection1: 1 - beta1 ** t, biasCorrection2: 1 - beta2 ** t, decay: weightDecay > 0 ? lr * weightDecay : 0 },
  );
  m.assign(next.m);
  v.assign(next.v);
  return next.value;
}

export const adam: OptimizerDefinition<AdamSpec> = {
  name: 'adam',
  settings: { beta1: unitInterval().optional(), beta2: unitInterval().optional(), epsilon: positive().optional() },
  decoupledDecay: true,
  update({ spec, lr, t, grad: g, slot }) {
    const { beta1, beta2, epsilon } = adamSettings(spec);
    const m = slot('m');
    const v = slot('v');
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** t);
    const vHat = tf.div(v, 1 - beta2 ** t);
    return tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), -lr);
  },
  fused: { available: fusedAdamAvailable, update: fusedUpdate },
};
