import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: a conv gradient on the threaded wasm backend', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual(['wasm', 2, true, [3, 3, 3, 4]]);
  expect(tf.memory().numTensors).toBe(0);
});
