import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBackendWithoutTensorLeaks } from '../../../test-support/tensor-leaks';
import { basicBlock, bottleneckBlock, initializerSeed, preactBottleneckBlock, stem } from '../src/index';
import { withModel } from './helpers';

/** The kernel of every convolution of `model`, by layer name. */
function kernels(model: tf.LayersModel): Map<string, Float32Array> {
  const convs = model.layers.filter((layer) => layer.getClassName() === 'Conv2D');
  return new Map(convs.map((layer) => [layer.name, layer.getWeights()[0].dataSync() as Float32Array]));
}

describe('seeded initialisation', () => {
  onBackendWithoutTensorLeaks('cpu');

  it('derives a stable, non-zero seed per (seed, layer, weight)', () => {
    expect(initializerSeed(5, 'conv1_conv', 'kernel')).toBe(initializerSeed(5, 'conv1_conv', 'kernel'));
    const seeds = [
      initializerSeed(5, 'conv1_conv', 'kernel'),
      initializerSeed(6, 'conv1_conv', 'kernel'),
      initializerSeed(5, 'conv2_block1_1_conv', 'kernel'),
      initializerSeed(5, 'conv1_conv', 'bias'),
    ];
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const seed of seeds) expect(Number.isInteger(seed) && seed > 0 && seed < 2 ** 32).toBe(true);
  });

  it.each([
    ['basic', (x: tf.SymbolicTensor, seed?: number) => basicBlock(x, 16, { name: 'b', stride: 2, seed })],
    ['bottleneck', (x: tf.SymbolicTensor, seed?: number) => bottleneckBlock(x, 4, { name: 'b', seed })],
    ['preact bottleneck', (x: tf.SymbolicTensor, seed?: number) => preactBottleneckBlock(x, 4, { name: 'b', convShortcut: true, seed })],
  ])('gives a %s block the same kernels for the same seed, whatever was built before it', (_kind, block) => {
    const first = new Map<string, Float32Array>();
    withModel([8, 8, 8], (x) => block(x, 5), (model) => kernels(model).forEach((v, k) => first.set(k, v)));
    expect(first.size).toBeGreaterThanOrEqual(3);
    // Other layers before it (and a different input) change neither its names nor its weights.
    withModel([8, 8, 8], (x) => block(basicBlock(x, 8, { name: 'other', seed: 5 }), 5), (model) => {
      for (const [name, kernel] of first) expect(model.getLayer(name).getWeights()[0].dataSync(), name).toEqual(kernel);
    });
    withModel([8, 8, 8], (x) => block(x, 6), (model) => {
      for (const [name, kernel] of first) expect(model.getLayer(name).getWeights()[0].dataSync(), name).not.toEqual(kernel);
    });
  });

  it('seeds every convolution of a block with its own seed', () => {
    withModel([8, 8, 8], (x) => bottleneckBlock(x, 8, { name: 'b', seed: 5 }), (model) => {
      // The projection and the last 1x1 conv have the same shape (8 -> 32): one shared seed would make them equal.
      const [shortcut, last] = ['b_0_conv', 'b_3_conv'].map((name) => model.getLayer(name).getWeights()[0]);
      expect(shortcut.shape).toEqual(last.shape);
      expect(shortcut.dataSync()).not.toEqual(last.dataSync());
    });
  });

  it('seeds the stem', () => {
    const kernelOf = (seed?: number) => {
      let values: tf.TypedArray = new Float32Array();
      withModel([32, 32, 3], (x) => stem(x, { seed }), (model) => {
        values = model.getLayer('conv1_conv').getWeights()[0].dataSync();
      });
      return values;
    };
    expect(kernelOf(5)).toEqual(kernelOf(5));
    expect(kernelOf(5)).not.toEqual(kernelOf(6));
    expect(kernelOf()).not.toEqual(kernelOf()); // unseeded, as before
  });
});
