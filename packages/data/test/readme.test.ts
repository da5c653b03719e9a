import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: batches of synthetic shapes, freed by the caller', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toEqual([
    [[8, 32, 32, 3], [8, 3]],
    [[4, 32, 32, 3], [4, 3]],
    [['circle', 'square', 'triangle'], 6],
  ]);
  expect(tf.memory().numTensors).toBe(0);
});
