import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: trains and evaluates a small ResNet on synthetic shapes', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual(['completed', 1, true]);
  expect(tf.memory().numTensors).toBe(0);
});
