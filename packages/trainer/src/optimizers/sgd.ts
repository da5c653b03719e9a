import { z } from 'zod';
import { unitInterval } from '../recipe/fields';
import * as tf from '@tensorflow/tfjs';
import type { OptimizerDefinition } from './types';

/** SGD with optional (Nesterov) momentum, as Keras; with weight decay it is SGDW. */
export interface SgdSpec {
  type: 'sgd';
  /** Default 0 (plain SGD, no slot). */
  momentum?: number;
  nesterov?: boolean;
}

export const sgd: OptimizerDefinition<SgdSpec> = {
  name: 'sgd',
  settings: { momentum: unitInterval().optional(), nesterov: z.boolean().optional() },
  decoupledDecay: true,
  update({ spec, lr, grad: g, slot }) {
    const momentum = spec.momentum ?? 0;
    if (momentum === 0) return tf.mul(g, -lr);
    const velocity = slot('momentum');
    velocity.assign(tf.add(tf.mul(velocity, momentum), g));
    const direction = spec.nesterov ? tf.add(g, tf.mul(velocity, momentum)) : velocity;
    return tf.mul(direction, -lr);
  },
};
