import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { categoricalCrossEntropy } from '../src/loss';
import { ConfusionMatrix, correctCounts } from '../src/metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('metrics', () => {
  it('computes per-class precision, recall, F1 and the confusion matrix', () => {
    const cm = new ConfusionMatrix(3);
    const pairs: Array<[number, number]> = [[0, 0], [0, 0], [0, 1], [1, 1], [1, 1], [2, 1], [2, 2], [2, 2]];
    for (const [t, p] of pairs) cm.add(t, p);
    const r = cm.report(['a', 'b', 'c']);
    expect(r.confusion).toEqual([[2, 1, 0], [0, 2, 0], [0, 1, 2]]);
    expect(r.perClass[0]).toMatchObject({ className: 'a', precision: 1, recall: 2 / 3, support: 3 });
    expect(r.perClass[1].precision).toBeCloseTo(0.5);
    expect(r.perClass[1].recall).toBe(1);
    expect(r.perClass[1].f1).toBeCloseTo(2 / 3);
    expect(r.macro.recall).toBeCloseTo((2 / 3 + 1 + 2 / 3) / 3);
  });

  it('gives 0 (not NaN) for classes never predicted or absent', () => {
    const cm = new ConfusionMatrix(2);
    cm.add(0, 0);
    expect(cm.report(['a', 'b']).perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('counts top-1 and top-k hits on device', () => {
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 6).toFloat() as tf.Tensor2D;
    const out = tf.tensor2d([
      [0.5, 0.1, 0.1, 0.1, 0.1, 0.1],
      [0.3, 0.2, 0.1, 0.1, 0.2, 0.1],
      [0.05, 0.1, 0.05, 0.3, 0.3, 0.2],
    ]);
    const before = tf.memory().numTensors;
    const counts = correctCounts(ys, out, 2);
    // Row 2's target is beaten by four classes, row 1's by one (ties do not count).
    expect(Array.from(counts.dataSync())).toEqual([1, 2]);
    counts.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ys, out]);
  });

  it('cross-entropy matches the formula, with label smoothing and from logits', () => {
    const y = tf.tensor2d([[0, 1]]);
    const p = tf.tensor2d([[0.25, 0.75]]);
    expect(categoricalCrossEntropy(y, p).dataSync()[0]).toBeCloseTo(-Math.log(0.75), 5);
    const smoothed = -(0.05 * Math.log(0.25) + 0.95 * Math.log(0.75));
    expect(categoricalCrossEntropy(y, p, { labelSmoothing: 0.1 }).dataSync()[0]).toBeCloseTo(smoothed, 5);
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    expect(categoricalCrossEntropy(y, logits, { fromLogits: true }).dataSync()[0]).toBeCloseTo(-Math.log(0.75), 5);
    tf.dispose([y, p, logits]);
  });
});
