import * as tf from '@tensorflow/tfjs';

/** Precision, recall and F1 of one class; `support` is how many samples truly belong to it. */
export interface ClassMetrics {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  perClass: ClassMetrics[];
  macro: { precision: number; recall: number; f1: number };
  /** confusion[trueClass][predictedClass] = count */
  confusion: number[][];
}

/** Whether top-5 accuracy is reported: only when there are more than five classes. */
export function hasTop5(classes: number): boolean {
  return classes > 5;
}

/**
 * Counts (on device) how many rows have the target's argmax as top-1 and within top-k.
 * Returns a [2] tensor [top1Correct, topKCorrect]; the caller disposes it.
 */
export function correctCounts(targets: tf.Tensor2D, outputs: tf.Tensor2D, k: number): tf.Tensor1D {
  return tf.tidy(() => {
    const labels = tf.argMax(targets, -1);
    const top1 = tf.sum(tf.cast(tf.equal(tf.argMax(outputs, -1), labels), 'float32'));
    const kk = Math.min(k, outputs.shape[1]);
    const topK = tf.sum(tf.cast(inTopK(outputs, labels, kk), 'float32'));
    return tf.stack([top1, topK]) as tf.Tensor1D;
  });
}

/** Synchronous in-top-k: the target's score is strictly beaten by fewer than k classes. */
function inTopK(outputs: tf.Tensor2D, labels: tf.Tensor, k: number): tf.Tensor {
  const targetScore = tf.sum(tf.mul(outputs, tf.oneHot(tf.cast(labels, 'int32'), outputs.shape[1])), -1, true);
  const beaten = tf.sum(tf.cast(tf.greater(outputs, targetScore), 'float32'), -1);
  return tf.less(beaten, k);
}

/** Accumulates a confusion matrix from label / prediction pairs. */
export class ConfusionMatrix {
  readonly counts: number[][];

  constructor(readonly classes: number) {
    this.counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  add(label: number, predicted: number): void {
    this.counts[label][predicted] += 1;
  }

  report(classNames: readonly string[]): ClassificationReport {
    const n = this.classes;
    const perClass: ClassMetrics[] = [];
    for (let c = 0; c < n; c++) {
      const tp = this.counts[c][c];
      let predicted = 0;
      let actual = 0;
      for (let o = 0; o < n; o++) {
        predicted += this.counts[o][c];
        actual += this.counts[c][o];
      }
      const precision = predicted === 0 ? 0 : tp / predicted;
      const recall = actual === 0 ? 0 : tp / actual;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      perClass.push({ className: classNames[c] ?? String(c), precision, recall, f1, support: actual });
    }
    const mean = (pick: (m: ClassMetrics) => number) => perClass.reduce((s, m) => s + pick(m), 0) / Math.max(1, n);
    return {
      perClass,
      macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) },
      confusion: this.counts.map((row) => [...row]),
    };
  }
}
