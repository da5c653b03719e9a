import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initNodeWasmBackend } from '../src/node';
import { relativeError, runOn, seededTensor } from './helpers';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
interface ConvCase {
  x: [number, number, number, number];
  kernel: number;
  outChannels: number;
  stride: number;
  pad: Pad;
}

// Kernels 1/3/7, strides 1/2, same/valid/explicit padding, odd sizes, batch 1 and > 1.
// Dilations: tfjs has no gradient for dilated conv2d ("dilation rates greater than 1 are not yet
// supported in gradients"), so the gradient kernels never see one.
const cases: ConvCase[] = [
  { x: [1, 5, 5, 3], kernel: 1, outChannels: 4, stride: 1, pad: 'valid' },
  { x: [3, 9, 7, 5], kernel: 1, outChannels: 6, stride: 2, pad: 'same' },
  { x: [2, 8, 8, 4], kernel: 1, outChannels: 3, stride: 2, pad: 'valid' },
  { x: [2, 7, 9, 3], kernel: 3, outChannels: 4, stride: 1, pad: 'same' },
  { x: [1, 11, 6, 2], kernel: 3, outChannels: 5, stride: 2, pad: 'same' },
  { x: [3, 8, 10, 4], kernel: 3, outChannels: 2, stride: 2, pad: 'valid' },
  { x: [2, 6, 7, 3], kernel: 3, outChannels: 2, stride: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { x: [2, 9, 9, 3], kernel: 3, outChannels: 4, stride: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [2, 15, 13, 3], kernel: 7, outChannels: 8, stride: 2, pad: 'same' },
  { x: [1, 13, 13, 2], kernel: 7, outChannels: 3, stride: 1, pad: 'valid' },
  { x: [3, 49, 49, 3], kernel: 7, outChannels: 8, stride: 2, pad: 'valid' },
  { x: [4, 16, 16, 32], kernel: 1, outChannels: 48, stride: 1, pad: 'valid' },
  { x: [4, 8, 8, 24], kernel: 3, outChannels: 40, stride: 1, pad: 'same' },
];

function describeCase(c: ConvCase): string {
  const pad = typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad.slice(1, 3));
  return `x [${c.x}] k${c.kernel} s${c.stride} ${pad} -> ${c.outChannels}`;
}

/** dL/dx and dL/dW of L = sum(conv2d(x, W) * dyWeights), so dy is a random tensor. */
function convGradients(c: ConvCase, seed: number): () => tf.Tensor[] {
  return () => {
    const x = seededTensor(c.x, seed) as tf.Tensor4D;
    const filter = seededTensor([c.kernel, c.kernel, c.x[3], c.outChannels], seed + 1) as tf.Tensor4D;
    const outShape = tf.conv2d(x, filter, c.stride, c.pad).shape;
    const dy = seededTensor(outShape, seed + 2);
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy));
    return tf.grads(loss)([x, filter]);
  };
}

describe('conv2d gradients on wasm match the cpu backend', () => {
  beforeAll(async () => {
    await initNodeWasmBackend({ threads: 1 });
  });

  it.each(cases.map((c, i) => [describeCase(c), c, i] as const))('%s', async (_name, c, i) => {
    const [cpuDx, cpuDw] = await runOn('cpu', convGradients(c, 100 + 3 * i));
    const [wasmDx, wasmDw] = await runOn('wasm', convGradients(c, 100 + 3 * i));
    expect(relativeError(wasmDx, cpuDx)).toBeLessThan(1e-4);
    expect(relativeError(wasmDw, cpuDw)).toBeLessThan(1e-4);
  });

  it('conv2dTranspose (Conv2DBackpropInput as a forward op) matches cpu', async () => {
    const compute = () => {
      const dy = seededTensor([2, 5, 6, 4], 7) as tf.Tensor4D;
      const filter = seededTensor([3, 3, 3, 4], 8) as tf.Tensor4D;
      return [tf.conv2dTranspose(dy, filter, [2, 10, 12, 3], 2, 'same')];
    };
    const [cpu] = await runOn('cpu', compute);
    const [wasm] = await runOn('wasm', compute);
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-4);
  });

  it('rejects NCHW with an error that names the kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 4, 4]) as tf.Tensor4D;
    const dy = tf.zeros([1, 2, 4, 4]) as tf.Tensor4D;
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 2, 2] };
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as any)).toThrow(/use NHWC/);
    tf.dispose([x, dy]);
  });
});
