import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Optimizer, type OptimizerSpec } from '../src/optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `steps` updates of f(w) = sum(w^2 * c) with our optimizer and with tf.train's. */
function compare(spec: OptimizerSpec, reference: tf.Optimizer, steps = 5): [number[], number[]] {
  const c = tf.tensor1d([1, 2, 3]);
  const ours = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const theirs = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const opt = new Optimizer(spec);
  for (let i = 0; i < steps; i++) {
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(ours), c)), [ours]);
    opt.apply([{ key: 'w', variable: ours, grad: grads[ours.name], decay: false }], 0.1);
    tf.dispose([value, ...Object.values(grads)]);
    reference.minimize(() => tf.sum(tf.mul(tf.square(theirs), c)), false, [theirs]);
  }
  const result: [number[], number[]] = [Array.from(ours.dataSync()), Array.from(theirs.dataSync())];
  opt.dispose();
  reference.dispose();
  tf.dispose([c, ours, theirs]);
  return result;
}

describe('optimizers', () => {
  it('Adam matches tf.train.adam', () => {
    const [a, b] = compare({ type: 'adam', epsilon: 1e-7 }, tf.train.adam(0.1, 0.9, 0.999, 1e-7));
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it('SGD with Nesterov momentum matches tf.train.momentum', () => {
    const [a, b] = compare({ type: 'sgd', momentum: 0.9, nesterov: true }, tf.train.momentum(0.1, 0.9, true));
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it('RMSprop follows g / (sqrt(ms) + eps)', () => {
    const w = tf.variable(tf.tensor1d([1]));
    const opt = new Optimizer({ type: 'rmsprop', rho: 0.9, epsilon: 0 });
    opt.apply([{ key: 'w', variable: w, grad: tf.tensor1d([2]), decay: false }], 0.1);
    // ms = 0.1 * 4 = 0.4; step = 0.1 * 2 / sqrt(0.4)
    expect(w.dataSync()[0]).toBeCloseTo(1 - 0.2 / Math.sqrt(0.4), 6);
    opt.dispose();
    w.dispose();
  });

  it('applies decoupled weight decay only to decaying parameters', () => {
    const a = tf.variable(tf.tensor1d([2]));
    const b = tf.variable(tf.tensor1d([2]));
    const zero = tf.zeros([1]);
    const opt = new Optimizer({ type: 'sgd' });
    opt.apply([
      { key: 'a', variable: a, grad: zero, decay: true },
      { key: 'b', variable: b, grad: zero, decay: false },
    ], 0.1, 0.5);
    expect(a.dataSync()[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2);
    expect(b.dataSync()[0]).toBe(2);
    tf.dispose([a, b, zero]);
    opt.dispose();
  });

  it('saves and restores its state so that later steps are identical', () => {
    const run = (restoreAfter: number | null) => {
      const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -1])));
      let opt = new Optimizer({ type: 'adam' });
      for (let i = 0; i < 6; i++) {
        if (i === restoreAfter) {
          const state = opt.getState();
          opt.dispose();
          opt = new Optimizer({ type: 'adam' });
          opt.setState(state);
          tf.dispose(Object.values(state.slots));
        }
        const g = tf.tensor1d([0.3 * (i + 1), -0.2]);
        opt.apply([{ key: 'w', variable: w, grad: g, decay: true }], 0.05, 0.01);
        g.dispose();
      }
      const out = Array.from(w.dataSync());
      opt.dispose();
      w.dispose();
      return out;
    };
    const before = tf.memory().numTensors;
    expect(run(3)).toEqual(run(null));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses state from another optimizer', () => {
    const opt = new Optimizer({ type: 'sgd' });
    expect(() => opt.setState({ type: 'adam', iterations: 1, slots: {} })).toThrow(/for "adam" but the run uses "sgd"/);
  });
});
