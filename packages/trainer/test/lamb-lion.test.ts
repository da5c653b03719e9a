import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Optimizer, type OptimizerSpec } from '../src/optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const w0 = [0.5, -1, 2];
const g1 = [1, -2, 3];
const g2 = [-0.05, 0.1, 0.5];

/** Steps of `spec` on one parameter (default: w0, gradients g1 then g2); the final weights and slots. */
function twoSteps(spec: OptimizerSpec, lr: number, weightDecay: number, decay = true, start = w0, grads = [g1, g2]) {
  const before = tf.memory().numTensors;
  const w = tf.tidy(() => tf.variable(tf.tensor1d(start)));
  const opt = new Optimizer(spec);
  for (const g of grads) {
    const grad = tf.tensor1d(g);
    opt.apply([{ key: 'w', variable: w, grad, decay }], lr, weightDecay);
    grad.dispose();
  }
  const state = opt.getState();
  const result = {
    w: Array.from(w.dataSync()),
    slots: Object.fromEntries(Object.entries(state.slots).map(([id, t]) => [id, Array.from(t.dataSync())])),
  };
  tf.dispose([w, ...Object.values(state.slots)]);
  opt.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

function expectClose(actual: number[], expected: number[], digits = 6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a, `element ${i}`).toBeCloseTo(expected[i], digits));
}

const norm = (x: number[]) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

/**
 * LAMB in plain numbers, from the paper's formulas with timm's defaults (beta1 0.9, beta2 0.999,
 * eps 1e-6): u = m_hat / (sqrt(v) / sqrt(1 - beta2^t) + eps) + wd * w, w -= lr * r * u with
 * r = ||w|| / ||u|| (1 when a norm is 0) when adapting, else r = 1.
 */
function lambReference(lr: number, wd: number, adapt: boolean, start = w0): number[] {
  let w = [...start];
  let m = [0, 0, 0];
  let v = [0, 0, 0];
  [g1, g2].forEach((g, i) => {
    const t = i + 1;
    m = m.map((mj, j) => 0.9 * mj + 0.1 * g[j]);
    v = v.map((vj, j) => 0.999 * vj + 0.001 * g[j] ** 2);
    const u = m.map((mj, j) => mj / (1 - 0.9 ** t) / (Math.sqrt(v[j]) / Math.sqrt(1 - 0.999 ** t) + 1e-6) + wd * w[j]);
    const r = adapt && norm(w) > 0 && norm(u) > 0 ? norm(w) / norm(u) : 1;
    w = w.map((wj, j) => wj - lr * r * u[j]);
  });
  return w;
}

describe('LAMB', () => {
  it('matches the reference for two steps with weight decay inside the trust-ratio update', () => {
    const { w, slots } = twoSteps({ type: 'lamb' }, 0.1, 0.1);
    expectClose(w, lambReference(0.1, 0.1, true));
    expectClose(slots['w/m'], g1.map((g, j) => 0.9 * 0.1 * g + 0.1 * g2[j]));
    expectClose(slots['w/v'], g1.map((g, j) => 0.999 * 0.001 * g ** 2 + 0.001 * g2[j] ** 2), 8);
  });

  it('takes the plain Adam step for a parameter without weight decay, unless alwaysAdapt', () => {
    expectClose(twoSteps({ type: 'lamb' }, 0.1, 0.1, false).w, lambReference(0.1, 0, false));
    expectClose(twoSteps({ type: 'lamb' }, 0.1, 0).w, lambReference(0.1, 0, false));
    expectClose(twoSteps({ type: 'lamb', alwaysAdapt: true }, 0.1, 0).w, lambReference(0.1, 0, true));
  });

  it('uses a trust ratio of 1 for a parameter that is all zeros', () => {
    const zeros = [0, 0, 0];
    // First step: u = m_hat / (sqrt(v_hat) + eps) ~ sign(g1), and ||w|| = 0 leaves it unscaled
    // (a ratio of 0 would keep the weights at zero for ever).
    expectClose(twoSteps({ type: 'lamb' }, 0.1, 0.1, true, zeros, [g1]).w, [-0.1, 0.1, -0.1], 5);
    expectClose(twoSteps({ type: 'lamb' }, 0.1, 0.1, true, zeros).w, lambReference(0.1, 0.1, true, zeros));
  });
});

describe('Lion', () => {
  // m1 = 0.01 g1; the second step's direction 0.9 m1 + 0.1 g2 = [0.004, -0.008, 0.077] keeps the
  // signs of g1 (+, -, +) where g2 alone has (-, +, +): the momentum decides.
  it('matches the hand-computed steps without weight decay', () => {
    const { w, slots } = twoSteps({ type: 'lion' }, 0.1, 0);
    expectClose(w, [0.3, -0.8, 1.8]);
    // m2 = 0.99 * 0.01 * g1 + 0.01 * g2
    expectClose(slots['w/m'], [0.0094, -0.0188, 0.0347]);
  });

  it('applies decoupled weight decay, w *= 1 - lr * wd, before each signed step', () => {
    // Factor 1 - 0.1 * 0.5 = 0.95: w1 = [0.475 - 0.1, -0.95 + 0.1, 1.9 - 0.1], w2 likewise from w1.
    expectClose(twoSteps({ type: 'lion' }, 0.1, 0.5).w, [0.25625, -0.7075, 1.61]);
    expectClose(twoSteps({ type: 'lion' }, 0.1, 0.5, false).w, [0.3, -0.8, 1.8]);
  });
});
