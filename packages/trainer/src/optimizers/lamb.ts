import { z } from 'zod';
import { positive, unitInterval } from '../recipe/fields';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerDefinition } from './types';

/**
 * LAMB (You et al. 2019, "Large Batch Optimization for Deep Learning"), as timm's `Lamb`: Adam's
 * bias-corrected direction plus the weight-decay term, scaled per parameter tensor by the trust
 * ratio ||w|| / ||update||. timm's own global gradient clipping (`max_grad_norm`) is the
 * trainer's `clipNorm` here.
 */
export interface LambSpec {
  type: 'lamb';
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-6 (timm), added to sqrt(v) / sqrt(1 - beta2^t). */
  epsilon?: number;
  /**
   * Apply the trust ratio to parameters without weight decay too (biases, BatchNorm, or every
   * parameter when `weightDecay` is 0). Default false, as timm's `always_adapt`: those take the
   * plain Adam step.
   */
  alwaysAdapt?: boolean;
}

/** ||w|| / ||u||, or 1 when either norm is 0 (a fresh zero tensor, or no update). */
function trustRatio(w: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const wNorm = tf.norm(w);
  const uNorm = tf.norm(u);
  return tf.where(tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(uNorm, 0)), tf.div(wNorm, uNorm), tf.onesLike(wNorm));
}

export const lamb: OptimizerDefinition<LambSpec> = {
  name: 'lamb',
  settings: { beta1: unitInterval().optional(), beta2: unitInterval().optional(), epsilon: positive().optional(), alwaysAdapt: z.boolean().optional() },
  // The decay term goes inside the update, before the trust ratio (the paper; timm's default).
  decoupledDecay: false,
  update({ spec, lr, t, variable: w, grad: g, weightDecay, slot }) {
    const beta1 = spec.beta1 ?? 0.9;
    const beta2 = spec.beta2 ?? 0.999;
    const epsilon = spec.epsilon ?? 1e-6;
    const m = slot('m');
    const v = slot('v');
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
    const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - beta2 ** t)), epsilon);
    let update = tf.div(tf.div(m, 1 - beta1 ** t), denominator);
    if (weightDecay > 0) update = tf.add(update, tf.mul(w, weightDecay));
    if (weightDecay > 0 || spec.alwaysAdapt) update = tf.mul(update, trustRatio(w, update));
    return tf.mul(update, -lr);
  },
};
