import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import { train } from '../src/train';
import { patternDataset } from './helpers/datasets';
import { tinyResNet } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 16;
const data = patternDataset(24, SIZE, 5);
const val = patternDataset(12, SIZE, 6);
const base = { train: data, epochs: 1, batchSize: 8, lr: 0.01, seed: 1, evaluateAtEnd: { data: val, options: { keepMisclassified: 3 } } };

describe('train({ evaluateAtEnd })', () => {
  it('evaluates the final model on the data, at the run batch size and class names, misclassified images kept', async () => {
    const model = tinyResNet(SIZE, 4, 3, 8);
    const result = await train({ model, ...base });
    const direct = await evaluate(model, val, { batchSize: 8, classNames: result.classNames, keepMisclassified: 3 });
    expect(result.evaluation).toEqual(direct);
    expect(result.evaluation!.count).toBe(12);
    model.dispose();
  });

  it('leaves it to the caller when only the head trained on cached features, and skips an aborted run', async () => {
    const cached = tinyResNet(SIZE, 4, 3, 8);
    const head = await train({ model: cached, ...base, transfer: { freezeBackbone: true, cacheFeatures: true } });
    expect(head.stopReason).toBe('completed');
    expect(head.evaluation).toBeUndefined();
    const aborted = tinyResNet(SIZE, 4, 3, 8);
    const controller = new AbortController();
    controller.abort();
    const stopped = await train({ model: aborted, ...base, signal: controller.signal });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.evaluation).toBeUndefined();
    for (const m of [cached, aborted]) m.dispose();
  });
});
