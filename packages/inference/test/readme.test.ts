import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: a ResNet18 predictor with its model card', async () => {
  await tf.setBackend('cpu');
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual([{ size: [32, 32, 3], normalization: 'torch' }]);
  expect(logged).toContainEqual([2, true]);
  expect(tf.memory().numTensors).toBe(0);
});
