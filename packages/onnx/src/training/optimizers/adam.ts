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
    // -rate * mHat / (sqrt(vHat) + eps) with the bias corrections folded into two scalars:
    // m * (-rate * sqrt(bc2) / bc1) / (sqrt(v) + eps * sqrt(bc2)), four passes over the weight instead of six.
    const rootCorrection2 = ops.shared(`adam/sqrt_bc/${beta2}`, () => ops.node('Sqrt', [biasCorrection(beta2)], `adam/sqrt_bias_correction_${beta2}`));
    const stepSize = ops.shared(`adam/step_size/${beta1}/${beta2}/${rate}`, () =>
      ops.div(ops.mul(ops.node('Neg', [rate], 'adam/neg_rate'), rootCorrection2, 'adam/neg_rate_x_root'), biasCorrection(beta1), 'adam/step_size'),
    );
    const epsilonHat = ops.shared(`adam/epsilon_hat/${beta2}/${epsilon}`, () => ops.mul(ops.scalar(epsilon), rootCorrection2, 'adam/epsilon_hat'));
    const denominator = ops.add(ops.node('Sqrt', [v], `${key}/v_sqrt`), epsilonHat, `${key}/denominator`);
    return ops.mul(ops.div(m, denominator, `${key}/direction`), stepSize, `${key}/update`);
  },
};
