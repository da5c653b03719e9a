import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate';
import { predict } from '../src/predict';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluate and predict', () => {
  it('evaluate returns metrics, per-class table, confusion matrix and misclassified samples', async () => {
    const model = tinyConvNet(8, 7);
    const data = randomDataset(21, 7, 8);
    const before = tf.memory().numTensors;
    const result = await evaluate(model, data, { batchSize: 8, keepMisclassified: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toMatchObject({ count: 21, classNames: data.classNames });
    expect(Object.keys(result).sort()).toEqual(
      ['accuracy', 'classNames', 'confusion', 'count', 'loss', 'macro', 'misclassified', 'perClass', 'top5'].sort(),
    );
    expect(result.top5).toBeGreaterThanOrEqual(result.accuracy);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(21);
    const diagonal = result.confusion.reduce((s, row, i) => s + row[i], 0);
    expect(result.accuracy).toBeCloseTo(diagonal / 21);
    expect(result.perClass.map((c) => c.support)).toEqual([3, 3, 3, 3, 3, 3, 3]);
    expect(result.misclassified.length).toBe(Math.min(3, 21 - diagonal));
    for (const m of result.misclassified) {
      expect(m.pixels.length).toBe(8 * 8 * 3);
      expect(m.predicted).not.toBe(m.label);
    }
    model.dispose();
  });

  it('evaluate is deterministic: BatchNorm runs in inference mode', async () => {
    const model = tinyConvNet(8, 3);
    const data = randomDataset(8, 3, 8);
    const a = await evaluate(model, data);
    const b = await evaluate(model, data);
    expect(a.loss).toBe(b.loss);
    model.dispose();
  });

  it('top-5 is reported only with more than five classes', async () => {
    const model = tinyConvNet(8, 5);
    expect((await evaluate(model, randomDataset(5, 5, 8))).top5).toBeUndefined();
    model.dispose();
  });

  it('predict returns top-k classes with names and probabilities, best first', async () => {
    const model = tinyConvNet(8, 4);
    const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const out = await predict(model, images, { topK: 3, classNames: ['a', 'b', 'c', 'd'] });
    expect(tf.memory().numTensors).toBe(before);
    expect(out).toHaveLength(2);
    for (const top of out) {
      expect(top).toHaveLength(3);
      expect(top[0].probability).toBeGreaterThanOrEqual(top[1].probability);
      expect(['a', 'b', 'c', 'd']).toContain(top[0].className);
      expect(Object.keys(top[0]).sort()).toEqual(['className', 'index', 'probability']);
    }
    const single = await predict(model, images.slice([0], [1]).squeeze([0]) as tf.Tensor3D, { topK: 10 });
    expect(single[0]).toHaveLength(4);
    await expect(predict(model, images, { classNames: ['a'] })).rejects.toThrow(/4 outputs but 1 class names/);
    tf.dispose(images);
    model.dispose();
  });
});
