import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listOptimizers, Optimizer, registerOptimizer, type OptimizerDefinition, type OptimizerSpec } from '../src/optimizers';

// Types the test's own rule, as a package registering one would.
declare module '../src/optimizers' {
  interface CustomOptimizerSpecs {
    'sign-sgd': { scale?: number };
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Three steps, then the state goes into a fresh Optimizer driving a copy of the weights: both
 * copies must take the same next three steps.
 */
function continuesAfterRestore(type: string): { original: number[]; restored: number[]; step: number } {
  const spec = { type } as OptimizerSpec;
  const grads = [0, 1, 2, 3, 4, 5].map((i) => tf.tensor1d([0.3 * (i + 1), -0.2, Math.sin(i)]));
  const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -1, 0.5])));
  const original = new Optimizer(spec);
  for (const grad of grads.slice(0, 3)) original.apply([{ key: 'w', variable: w, grad, decay: true }], 0.05, 0.01);
  const state = original.getState();
  const copy = tf.tidy(() => tf.variable(w.clone()));
  const restored = new Optimizer(spec);
  restored.setState(state);
  tf.dispose(Object.values(state.slots));
  for (const grad of grads.slice(3)) {
    original.apply([{ key: 'w', variable: w, grad, decay: true }], 0.05, 0.01);
    restored.apply([{ key: 'w', variable: copy, grad, decay: true }], 0.05, 0.01);
  }
  const result = { original: Array.from(w.dataSync()), restored: Array.from(copy.dataSync()), step: restored.step };
  tf.dispose([w, copy, ...grads]);
  original.dispose();
  restored.dispose();
  return result;
}

describe('optimizer registry', () => {
  it('lists the built-in rules', () => {
    expect(listOptimizers()).toEqual(['adam', 'sgd', 'rmsprop', 'lamb', 'lion']);
  });

  it('names the registered optimizers for an unknown one', () => {
    expect(() => new Optimizer({ type: 'nadam' } as never)).toThrow(
      'Unknown optimizer "nadam": registered optimizers are adam, sgd, rmsprop, lamb, lion.',
    );
  });

  it.each(['adam', 'sgd', 'rmsprop', 'lamb', 'lion'])('%s: a saved and restored state continues with identical steps', (type) => {
    const before = tf.memory().numTensors;
    const { original, restored, step } = continuesAfterRestore(type);
    expect(restored).toEqual(original);
    expect(step).toBe(6);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes a newly registered rule usable by name, with its slots and decoupled weight decay', () => {
    const signSgd: OptimizerDefinition<{ type: 'sign-sgd'; scale?: number }> = {
      name: 'sign-sgd',
      decoupledDecay: true,
      update: ({ spec, lr, grad, slot }) => {
        const count = slot('count');
        count.assign(tf.add(count, 1));
        return tf.mul(tf.sign(grad), -lr * (spec.scale ?? 1));
      },
    };
    registerOptimizer(signSgd);
    expect(listOptimizers()).toContain('sign-sgd');
    expect(() => registerOptimizer(signSgd)).toThrow('The optimizer "sign-sgd" is already registered');

    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -1])));
    const grad = tf.tensor1d([3, -0.5]);
    const opt = new Optimizer({ type: 'sign-sgd', scale: 2 });
    opt.apply([{ key: 'w', variable: w, grad, decay: true }], 0.1, 0.5);
    // w * (1 - 0.1 * 0.5) - 0.1 * 2 * sign(g)
    expect(Array.from(w.dataSync()).map((x) => +x.toFixed(6))).toEqual([0.75, -0.75]);
    const state = opt.getState();
    expect(state).toMatchObject({ type: 'sign-sgd', iterations: 1 });
    expect(Array.from(state.slots['w/count'].dataSync())).toEqual([1, 1]);
    tf.dispose([w, grad, ...Object.values(state.slots)]);
    opt.dispose();
  });
});
