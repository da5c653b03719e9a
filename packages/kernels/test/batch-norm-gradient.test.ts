import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../src';
import { initNodeWasmBackend } from '../src/node';
import { relativeError, runOn, seededTensor } from './helpers';

// Captured before the package replaces it: the reference for the folded gradient.
const original = tf.getGradient(tf.FusedBatchNorm)!;

beforeAll(async () => {
  registerWasmTrainingKernels();
  await initNodeWasmBackend({ threads: 1 });
});

function inputs(withScale: boolean) {
  const x = seededTensor([3, 5, 4, 6], 11);
  const mean = seededTensor([6], 12);
  const variance = tf.add(tf.abs(seededTensor([6], 13)), 0.5);
  const scale = withScale ? seededTensor([6], 14) : undefined;
  const offset = seededTensor([6], 15);
  const dy = seededTensor([3, 5, 4, 6], 16);
  return { x, mean, variance, scale, offset, dy };
}

/** Gradients w.r.t. x, mean, variance, (scale), offset through the registered gradient. */
function registeredGradients(withScale: boolean): () => tf.Tensor[] {
  return () => {
    const { x, mean, variance, scale, offset, dy } = inputs(withScale);
    const f = (...args: tf.Tensor[]) => {
      const [a, m, v, o, s] = args;
      return tf.sum(tf.mul(tf.batchNorm(a, m, v, o, s, 1e-3), dy));
    };
    return tf.grads(f)(withScale ? [x, mean, variance, offset, scale!] : [x, mean, variance, offset]);
  };
}

/** The same gradients by calling a gradient function directly (default: tfjs-core's own). */
function referenceGradients(withScale: boolean, config: tf.GradConfig = original): () => tf.Tensor[] {
  return () => {
    const { x, mean, variance, scale, dy } = inputs(withScale);
    const grads = config.gradFunc(dy, [x, mean, variance, scale as tf.Tensor], { varianceEpsilon: 1e-3 });
    const order = withScale ? ['x', 'mean', 'variance', 'offset', 'scale'] : ['x', 'mean', 'variance', 'offset'];
    return order.map((name) => grads[name]());
  };
}

describe('FusedBatchNorm gradient without Tile', () => {
  it('matches tfjs-core gradient through tf.grads on cpu and wasm', async () => {
    const reference = await runOn('cpu', referenceGradients(true));
    for (const backend of ['cpu', 'wasm']) {
      const ours = await runOn(backend, registeredGradients(true));
      reference.forEach((expected, i) => expect(relativeError(ours[i], expected), `${backend} #${i}`).toBeLessThan(1e-4));
    }
  });

  // tf.grads cannot differentiate batchNorm without scale (tfjs saves the missing input), but the
  // gradient function must still handle it: compare the two functions directly.
  it('matches tfjs-core gradient without scale', async () => {
    const reference = await runOn('wasm', referenceGradients(false));
    const ours = await runOn('wasm', referenceGradients(false, tf.getGradient(tf.FusedBatchNorm)!));
    reference.forEach((expected, i) => expect(relativeError(ours[i], expected), `#${i}`).toBeLessThan(1e-4));
  });

  it('runs no Tile kernel', async () => {
    await tf.setBackend('wasm');
    const profile = await tf.profile(() => {
      tf.tidy(registeredGradients(true));
    });
    expect(profile.kernelNames).not.toContain('Tile');
  });
});
