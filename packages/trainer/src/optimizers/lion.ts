import { unitInterval } from '../recipe/fields';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerDefinition } from './types';

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), as timm's `Lion`:
 * the step is the sign of an interpolation of momentum and gradient, so every weight moves by
 * exactly lr. Use a learning rate 3-10x smaller than Adam's (timm's default is 1e-4) and a
 * correspondingly larger weight decay, which is decoupled as in the paper.
 */
export interface LionSpec {
  type: 'lion';
  /** Interpolation of momentum and gradient for the step. Default 0.9. */
  beta1?: number;
  /** Decay of the momentum. Default 0.99. */
  beta2?: number;
}

export const lion: OptimizerDefinition<LionSpec> = {
  name: 'lion',
  settings: { beta1: unitInterval().optional(), beta2: unitInterval().optional() },
  decoupledDecay: true,
  update({ spec, lr, grad: g, slot }) {
    const beta1 = spec.beta1 ?? 0.9;
    const beta2 = spec.beta2 ?? 0.99;
    const m = slot('m');
    // The step reads the momentum before this step's update of it.
    const direction = tf.sign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    m.assign(tf.add(tf.mul(m, beta2), tf.mul(g, 1 - beta2)));
    return tf.mul(direction, -lr);
  },
};
