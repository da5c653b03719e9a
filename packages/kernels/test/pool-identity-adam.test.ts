import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedAdamAvailable, fusedAdamUpdate } from '../src';
import { initNodeWasmBackend } from '../src/node';
import { relativeError, runOn, seededTensor } from './helpers';

beforeAll(async () => {
  await initNodeWasmBackend({ threads: 1 });
});

describe('MaxPoolGrad on wasm matches the cpu backend', () => {
  const cases: Array<{ shape: number[]; size: number; stride: number; pad: 'same' | 'valid' | number }> = [
    { shape: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same' },
    { shape: [1, 8, 7, 5], size: 3, stride: 2, pad: 'valid' },
    { shape: [3, 6, 6, 2], size: 2, stride: 2, pad: 'valid' },
    { shape: [2, 7, 7, 4], size: 3, stride: 1, pad: 'same' },
    { shape: [1, 10, 10, 3], size: 3, stride: 2, pad: 1 },
  ];
  it.each(cases.map((c) => [`[${c.shape}] ${c.size}x${c.size} stride ${c.stride} pad ${c.pad}`, c] as const))('%s', async (_n, c) => {
    const compute = () => [
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad), seededTensor([1], 2))))(
        seededTensor(c.shape, 1),
      ),
    ];
    const [cpu] = await runOn('cpu', compute);
    const [wasm] = await runOn('wasm', compute);
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-6);
  });
});

describe('Identity and same-dtype Cast on wasm share the input buffer', () => {
  it('gives equal values, and disposing either side keeps the other readable', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const x = seededTensor([4, 5], 3);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const asInt = tf.tidy(() => tf.cast(tf.mul(x, 10), 'int32'));
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual(Array.from(cast.dataSync()));
    expect(asInt.dtype).toBe('int32');
    expect(asInt.dataSync()[0]).toBe(Math.trunc(copy.dataSync()[0] * 10));
    tf.dispose([copy, cast, asInt]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** The composed Adam update (Keras's formula with bias corrections), in float32 tensor ops. */
function composedAdam(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, lr: number, t: number, decay: number): tf.Tensor[] {
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  const step = tf.div(tf.div(m1, 1 - beta1 ** t), tf.add(tf.sqrt(tf.div(v1, 1 - beta2 ** t)), epsilon));
  return [tf.sub(tf.sub(x, tf.mul(x, decay)), tf.mul(step, lr)), m1, v1];
}

describe('fused Adam', () => {
  const shape = [37, 11];
  const lr = 0.01;
  const t = 3;
  const decay = lr * 0.05;
  const inputs = () => ({
    value: seededTensor(shape, 11),
    m: tf.mul(seededTensor(shape, 12), 0.1),
    v: tf.abs(tf.mul(seededTensor(shape, 13), 0.01)),
    grad: seededTensor(shape, 14),
  });
  const attrs = { lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, biasCorrection1: 1 - 0.9 ** t, biasCorrection2: 1 - 0.999 ** t, decay };

  it.each(['cpu', 'wasm'])('matches the composed update on %s', async (backend) => {
    const [expected] = [await runOn('cpu', () => {
      const i = inputs();
      return composedAdam(i.value, i.m, i.v, i.grad, lr, t, decay);
    })];
    const actual = await runOn(backend, () => {
      const out = fusedAdamUpdate(inputs(), attrs);
      return [out.value, out.m, out.v];
    });
    // float32 throughout (wasm SIMD) or float64 per element (cpu): within a few float32 ulps.
    expected.forEach((e, k) => expect(relativeError(actual[k], e)).toBeLessThan(1e-5));
  });

  it('does not change its inputs', async () => {
    await tf.setBackend('wasm');
    const i = inputs();
    const before = i.value.dataSync().slice();
    const out = fusedAdamUpdate(i, attrs);
    expect(Array.from(i.value.dataSync())).toEqual(Array.from(before));
    tf.dispose([...Object.values(i), out.value, out.m, out.v]);
  });

  it('names the input whose shape or dtype is wrong, and says where it runs', async () => {
    await tf.setBackend('cpu');
    expect(fusedAdamAvailable()).toBe(true);
    const i = inputs();
    const bad = tf.zeros([3]);
    expect(() => fusedAdamUpdate({ ...i, v: bad }, attrs)).toThrow(/input "v" must be float32 of shape \[37,11\], got float32 \[3\]/);
    tf.dispose([...Object.values(i), bad]);
  });
});
