import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { float32ToFloat16Bits, quantizeWeights } from '../src/weights/tfjs/quantize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('float16 encoding', () => {
  it.each([
    [1, 0x3c00],
    [-2, 0xc000],
    [0, 0],
    [65504, 0x7bff],
    [65520, 0x7c00],
    [2 ** -24, 0x0001],
    [2 ** -26, 0],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [Infinity, 0x7c00],
  ])('%f -> 0x%s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  it('NaN stays NaN', () => {
    const bits = float32ToFloat16Bits(NaN);
    expect(bits & 0x7c00).toBe(0x7c00);
    expect(bits & 0x3ff).not.toBe(0);
  });
});

describe('quantised weights decode with tfjs', () => {
  const values = Float32Array.from({ length: 257 }, (_, i) => Math.sin(i) * 3 - 0.5);
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: 'w', shape: [257], dtype: 'float32' },
    { name: 'steps', shape: [2], dtype: 'int32' },
  ];
  const data = new Uint8Array(257 * 4 + 8);
  data.set(new Uint8Array(values.buffer), 0);
  data.set(new Uint8Array(Int32Array.from([7, -9]).buffer), 257 * 4);

  it.each([
    // float16: 11 significant bits on values up to 3.5; affine: one step (min is nudged onto the grid).
    ['float16', 3.5 * 2 ** -11],
    ['uint8', 6 / 255],
    ['uint16', 6 / 65535],
  ] as const)('%s stays within its quantisation step and keeps int32 weights exact', async (mode, tolerance) => {
    const before = tf.memory().numTensors;
    const quantized = quantizeWeights(specs, data.buffer, mode);
    const decoded = tf.io.decodeWeights(quantized.data, quantized.specs);
    const w = await decoded.w.data();
    let worst = 0;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - w[i]))));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(Array.from(await decoded.steps.data())).toEqual([7, -9]);
    tf.dispose(decoded);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uint8 keeps zero exact (min nudged onto the grid)', async () => {
    const withZero = Float32Array.from([-1.3, 0, 0.7, 2.9]);
    const q = quantizeWeights([{ name: 'z', shape: [4], dtype: 'float32' }], withZero.buffer, 'uint8');
    const decoded = tf.io.decodeWeights(q.data, q.specs);
    expect((await decoded.z.data())[1]).toBeCloseTo(0, 6);
    tf.dispose(decoded);
  });
});
