import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: a stem and the first bottleneck stage, named as Keras', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual(['conv2_block3_out', [null, 56, 56, 256]]);
  expect(tf.memory().numTensors).toBe(0);
});
