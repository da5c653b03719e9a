import { setting, type GraphOptimizer } from './types';

/** The trainer's lion (timm): sign of the interpolated momentum; the step reads m before its update. */
export const lionGraph: GraphOptimizer = {
  name: 'lion',
  decoupledDecay: true,
  update({ ops, spec, key, grad: g, rate, slot, setSlot }) {
    const beta1 = setting(spec, 'beta1', 0.9);
    const beta2 = setting(spec, 'beta2', 0.99);
    const m = slot('m');
    const interpolated = ops.add(ops.mul(m, ops.scalar(beta1), `${key}/m_beta1`), ops.mul(g, ops.scalar(1 - beta1), `${key}/g_beta1`), `${key}/interpolated`);
    const direction = ops.node('Sign', [interpolated], `${key}/direction`);
    setSlot('m', ops.add(ops.mul(m, ops.scalar(beta2), `${key}/m_beta2`), ops.mul(g, ops.scalar(1 - beta2), `${key}/g_beta2`), `${key}/new_m`));
    return ops.mul(direction, ops.node('Neg', [rate], `${key}/neg_rate`), `${key}/update`);
  },
};
