import { setting, type GraphOptimizer } from './types';

/** The trainer's sgd: plain, momentum, or Nesterov momentum (slot `momentum`). */
export const sgdGraph: GraphOptimizer = {
  name: 'sgd',
  decoupledDecay: true,
  update({ ops, spec, key, grad: g, rate, slot, setSlot }) {
    const momentum = setting(spec, 'momentum', 0);
    const negRate = ops.node('Neg', [rate], `${key}/neg_rate`);
    if (momentum === 0) return ops.mul(g, negRate, `${key}/update`);
    const velocity = ops.add(ops.mul(slot('momentum'), ops.scalar(momentum), `${key}/velocity_decayed`), g, `${key}/new_velocity`);
    setSlot('momentum', velocity);
    const direction = spec.nesterov ? ops.add(g, ops.mul(velocity, ops.scalar(momentum), `${key}/velocity_scaled`), `${key}/nesterov`) : velocity;
    return ops.mul(direction, negRate, `${key}/update`);
  },
};
