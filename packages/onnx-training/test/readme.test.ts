import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: the model is supported', async () => {
  await tf.setBackend('cpu');
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual([{ supported: true }]);
  expect(tf.memory().numTensors).toBe(0);
});
