import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { runReadmeUsage } from '../../../test-support/readme-usage';

it('runs the README usage example as written: exports a model to ONNX and classifies with onnxruntime', async () => {
  const logged = await runReadmeUsage(import.meta.url);
  expect(logged).toContainEqual([['cat', 'dog']]);
  expect(logged).toContainEqual([1, true]);
  expect(tf.memory().numTensors).toBe(0);
});
