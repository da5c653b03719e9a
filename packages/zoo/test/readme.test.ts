import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: builds ResNet50 for six classes from the registry', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual([16, 23_600_006, 'caffe', 'conv1_conv']);
  expect(tf.memory().numTensors).toBe(0);
});
