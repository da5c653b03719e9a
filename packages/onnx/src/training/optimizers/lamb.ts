import { setting, type GraphOptimizer } from './types';

/**
 * The trainer's lamb (timm): Adam's direction plus the decay term, scaled by the trust ratio
 * ||w|| / ||u|| (1 when either is 0). Whether the decay and the ratio apply depends on the step's
 * weight decay, a graph input here, so both are Where on `weightDecay > 0`.
 */
export const lambGraph: GraphOptimizer = {
  name: 'lamb',
  decoupledDecay: false,
  update({ ops, spec, key, weight: w, grad: g, rate, weightDecay, biasCorrection, slot, setSlot }) {
    const beta1 = setting(spec, 'beta1', 0.9);
    const beta2 = setting(spec, 'beta2', 0.999);
    const epsilon = setting(spec, 'epsilon', 1e-6);
    const m = ops.add(ops.mul(slot('m'), ops.scalar(beta1), `${key}/m_decayed`), ops.mul(g, ops.scalar(1 - beta1), `${key}/g_scaled`), `${key}/new_m`);
    const v = ops.add(ops.mul(slot('v'), ops.scalar(beta2), `${key}/v_decayed`), ops.mul(ops.mul(g, g, `${key}/g_sq`), ops.scalar(1 - beta2), `${key}/g_sq_scaled`), `${key}/new_v`);
    setSlot('m', m);
    setSlot('v', v);
    const sqrtCorrection = ops.node('Sqrt', [biasCorrection(beta2)], `${key}/sqrt_bc2`);
    const denominator = ops.add(ops.div(ops.node('Sqrt', [v], `${key}/v_sqrt`), sqrtCorrection, `${key}/v_corrected`), ops.scalar(epsilon), `${key}/denominator`);
    let update = ops.div(ops.div(m, biasCorrection(beta1), `${key}/m_hat`), denominator, `${key}/adam_direction`);
    // A weight that never decays adapts only with alwaysAdapt; one that decays adapts when this
    // step's decay is > 0 (adding w * 0 leaves the update unchanged when it is 0).
    if (weightDecay) update = ops.add(update, ops.mul(w, weightDecay, `${key}/decay_term`), `${key}/decayed_direction`);
    if (weightDecay || spec.alwaysAdapt) {
      const wNorm = ops.node('Sqrt', [ops.node('ReduceSumSquare', [w], `${key}/w_sq`, { keepdims: 0 })], `${key}/w_norm`);
      const uNorm = ops.node('Sqrt', [ops.node('ReduceSumSquare', [update], `${key}/u_sq`, { keepdims: 0 })], `${key}/u_norm`);
      const bothPositive = ops.node('And', [ops.node('Greater', [wNorm, ops.scalar(0)], `${key}/w_pos`), ops.node('Greater', [uNorm, ops.scalar(0)], `${key}/u_pos`)], `${key}/norms_pos`);
      const ratio = ops.node('Where', [bothPositive, ops.div(wNorm, uNorm, `${key}/ratio_raw`), ops.scalar(1)], `${key}/trust_ratio`);
      const adapted = ops.mul(update, ratio, `${key}/adapted`);
      const decaysNow = weightDecay && !spec.alwaysAdapt ? ops.node('Greater', [weightDecay, ops.scalar(0)], `${key}/decays_now`) : undefined;
      update = decaysNow ? ops.node('Where', [decaysNow, adapted, update], `${key}/maybe_adapted`) : adapted;
    }
    return ops.mul(update, ops.node('Neg', [rate], `${key}/neg_rate`), `${key}/update`);
  },
};
