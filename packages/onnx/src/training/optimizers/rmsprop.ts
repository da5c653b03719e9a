import { setting, type GraphOptimizer } from './types';

/** The trainer's rmsprop (Keras): g * rate / (sqrt(ms) + eps), optional momentum. */
export const rmspropGraph: GraphOptimizer = {
  name: 'rmsprop',
  decoupledDecay: true,
  update({ ops, spec, key, grad: g, rate, slot, setSlot }) {
    const rho = setting(spec, 'rho', 0.9);
    const epsilon = setting(spec, 'epsilon', 1e-7);
    const momentum = setting(spec, 'momentum', 0);
    const gSquared = ops.mul(g, g, `${key}/g_sq`);
    const meanSquare = ops.add(ops.mul(slot('rms'), ops.scalar(rho), `${key}/rms_decayed`), ops.mul(gSquared, ops.scalar(1 - rho), `${key}/g_sq_scaled`), `${key}/new_rms`);
    setSlot('rms', meanSquare);
    const denominator = ops.add(ops.node('Sqrt', [meanSquare], `${key}/rms_sqrt`), ops.scalar(epsilon), `${key}/denominator`);
    const step = ops.div(ops.mul(g, rate, `${key}/g_rate`), denominator, `${key}/step`);
    if (momentum === 0) return ops.node('Neg', [step], `${key}/update`);
    const velocity = ops.add(ops.mul(slot('momentum'), ops.scalar(momentum), `${key}/velocity_decayed`), step, `${key}/new_velocity`);
    setSlot('momentum', velocity);
    return ops.node('Neg', [velocity], `${key}/update`);
  },
};
