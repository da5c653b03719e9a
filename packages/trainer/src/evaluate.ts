import * as tf from '@tensorflow/tfjs';
import { topKIndices } from '@resnet-ts/zoo';
import type { TrainingDataset } from './dataset';
import { categoricalCrossEntropy, outputsAreProbabilities } from './loss';
import { ConfusionMatrix, hasTop5, type ClassificationReport } from './metrics';

export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** Overrides the dataset's class names in the report. */
  classNames?: readonly string[];
  /** Keep up to this many misclassified images (pixels included) for reports. Default 0. */
  keepMisclassified?: number;
  /** Stop after this many batches (quick validation). Default: the whole dataset. */
  maxBatches?: number;
}

export interface MisclassifiedSample {
  /** Position in evaluation order. */
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  /** HWC float pixels as the dataset produced them. */
  pixels: Float32Array;
  shape: [number, number, number];
}

export interface EvaluationResult extends ClassificationReport {
  loss: number;
  accuracy: number;
  /** Present when there are more than five classes. */
  top5?: number;
  count: number;
  classNames: string[];
  misclassified: MisclassifiedSample[];
}

/**
 * The model's output for one batch, in inference mode: `model.predict` by default; an engine that
 * holds its own copy of the weights (the onnxruntime engine) passes its own forward.
 */
export type BatchPredictor = (xs: tf.Tensor) => Promise<tf.Tensor2D>;

/**
 * Evaluates a classifier on a dataset with BatchNorm in inference mode (`model.predict` never runs
 * the training phase). Loss is the plain categorical cross-entropy (no label smoothing).
 */
export async function evaluate(
  model: tf.LayersModel,
  dataset: TrainingDataset,
  options: EvaluateOptions = {},
  predict: BatchPredictor = async (xs) => model.predict(xs) as tf.Tensor2D,
): Promise<EvaluationResult> {
  const batchSize = options.batchSize ?? 32;
  const classNames = [...(options.classNames ?? dataset.classNames)];
  const classes = classNames.length;
  const keep = options.keepMisclassified ?? 0;
  const fromLogits = !outputsAreProbabilities(model);
  const confusion = new ConfusionMatrix(classes);
  const misclassified: MisclassifiedSample[] = [];
  let lossSum = 0;
  let count = 0;
  let correct = 0;
  let top5Correct = 0;
  let batchIndex = 0;
  for await (const batch of dataset.batches({ batchSize, shuffle: false, augment: false })) {
    try {
      const out = await predict(batch.xs);
      const probs = fromLogits ? tf.tidy(() => tf.softmax(out)) : out;
      if (fromLogits) out.dispose();
      const lossT = categoricalCrossEntropy(batch.ys, probs, {});
      const labelsT = tf.argMax(batch.ys, -1);
      const [probData, labelData, lossValue] = await Promise.all([probs.data(), labelsT.data(), lossT.data()]);
      tf.dispose([probs, lossT, labelsT]);
      const n = batch.xs.shape[0];
      if (probs.shape[1] !== classes) {
        throw new Error(`Model outputs ${probs.shape[1]} classes but the dataset has ${classes} (${classNames.join(', ')}).`);
      }
      lossSum += lossValue[0] * n;
      for (let i = 0; i < n; i++) {
        const row = probData.subarray(i * classes, (i + 1) * classes);
        const label = labelData[i];
        const ranked = topKIndices(row, 5);
        const predicted = ranked[0];
        confusion.add(label, predicted);
        if (predicted === label) correct += 1;
        if (ranked.includes(label)) top5Correct += 1;
        if (predicted !== label && misclassified.length < keep) {
          const [h, w, c] = batch.xs.shape.slice(1) as [number, number, number];
          const image = tf.slice(batch.xs, [i, 0, 0, 0], [1, h, w, c]);
          const pixels = (await image.data()) as Float32Array;
          image.dispose();
          misclassified.push({ index: count + i, label, predicted, confidence: row[predicted], pixels, shape: [h, w, c] });
        }
      }
      count += n;
    } finally {
      tf.dispose([batch.xs, batch.ys]);
    }
    batchIndex += 1;
    if (options.maxBatches !== undefined && batchIndex >= options.maxBatches) break;
  }
  if (count === 0) throw new Error('evaluate: the dataset produced no batches (is it empty?).');
  const report = confusion.report(classNames);
  return {
    loss: lossSum / count,
    accuracy: correct / count,
    ...(hasTop5(classes) ? { top5: top5Correct / count } : {}),
    count,
    classNames,
    misclassified,
    ...report,
  };
}
