import { setting, type GraphOptimizer } from './types';

/** The trainer's adam (Keras defaults; AdamW with weight decay): m, v, bias-corrected step. */
export const adamGraph: GraphOptimizer = {
  name: 'adam',
  decoupledDecay: true,
  update({ ops, spec, key, grad: g, rate, biasCorrection, slot, setSlot }) {
    const beta1 = setting(spec, 'beta1', 0.9);
    const beta2 = setting(spec, 'beta2', 0.999);
    const epsilon = setting(spec, 'epsilon', 1e-7);
    const m = ops.add(ops.mul(slot('m'), ops.scalar(beta1), `${key}/m_decayed`), ops.mul(g, ops.scalar(1 - beta1), `${key}/g_scaled`), `${key}/new_m`);
    const gSquared = ops.mul(g, g, `${key}/g_sq`);
    const v = ops.add(ops.mul(slot('v'), ops.scalar(beta2), `${key}/v_decayed`), ops.mul(gSquared, ops.scalar(1 - beta2), `${key}/g_sq_scaled`), `${key}/new_v`);
    setSlot('m', m);
    setSlot('v', v);
    const mHat = ops.div(m, biasCorrection(beta1), `${key}/m_hat`);
    const vHat = ops.div(v, biasCorrection(beta2), `${key}/v_hat`);
    const denominator = ops.add(ops.node('Sqrt', [vHat], `${key}/v_hat_sqrt`), ops.scalar(epsilon), `${key}/denominator`);
    return ops.mul(ops.div(mHat, denominator, `${key}/direction`), ops.node('Neg', [rate], `${key}/neg_rate`), `${key}/update`);
  },
};
