import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';

// This file must not import the package: it checks the stock backend, so that the day upstream
// ships Conv2DBackpropFilter for wasm (tfjs #8474) this test fails and tells us.
describe('stock tfjs-backend-wasm 4.22', () => {
  it('throws on a conv training step without @resnet-ts/kernels', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const x = tf.ones([1, 5, 5, 2]) as tf.Tensor4D;
    const filter = tf.variable(tf.ones([3, 3, 2, 2]));
    expect(() =>
      tf.variableGrads(() => tf.sum(tf.conv2d(x, filter as tf.Variable as unknown as tf.Tensor4D, 1, 'same'))),
    ).toThrow(/Conv2DBackpropFilter.*not registered for backend 'wasm'/);
    tf.dispose([x, filter]);
  });
});
