import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';

/**
 * Call inside a `describe`: its tests run on `backend`, and each one fails when it leaves more
 * (or fewer) tensors than it found.
 */
export function onBackendWithoutTensorLeaks(backend = 'cpu'): void {
  let before = 0;
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });
}
