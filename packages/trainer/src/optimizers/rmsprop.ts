import { positive, unitInterval } from '../recipe/fields';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerDefinition } from './types';

/** RMSprop as Keras: `g / (sqrt(ms) + eps)`, optional momentum. */
export interface RmspropSpec {
  type: 'rmsprop';
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

export const rmsprop: OptimizerDefinition<RmspropSpec> = {
  name: 'rmsprop',
  settings: { rho: unitInterval().optional(), momentum: unitInterval().optional(), epsilon: positive().optional() },
  decoupledDecay: true,
  update({ spec, lr, grad: g, slot }) {
    const rho = spec.rho ?? 0.9;
    const epsilon = spec.epsilon ?? 1e-7;
    const momentum = spec.momentum ?? 0;
    const meanSquare = slot('rms');
    meanSquare.assign(tf.add(tf.mul(meanSquare, rho), tf.mul(tf.square(g), 1 - rho)));
    const step = tf.div(tf.mul(g, lr), tf.add(tf.sqrt(meanSquare), epsilon));
    if (momentum === 0) return tf.neg(step);
    const velocity = slot('momentum');
    velocity.assign(tf.add(tf.mul(velocity, momentum), step));
    return tf.neg(velocity);
  },
};
