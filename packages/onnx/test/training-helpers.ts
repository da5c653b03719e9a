import * as tf from '@tensorflow/tfjs';
import { seededValues } from '../../../test-support/seeded-values';
import { toGraphLayout, toKerasLayout, type TrainingGraph } from '../src/training';
import { createInferenceSession } from '../src/node/session';
import { loadOnnxRuntime } from '../src/node/onnxruntime';

/** One batch of the step: NHWC images (or features [B, F]) and one-hot labels, deterministic. */
export interface StepBatch {
  images: Float32Array;
  labels: Float32Array;
  shape: number[];
  classes: number;
}

export function seededBatch(batch: number, size: number, classes: number, seed: number): StepBatch {
  const images = seededValues(batch * size * size * 3, seed, -1, 1);
  // Each image gets its own contrast and brightness, as real images differ in their statistics
  // (noise of one range alone gives every image nearly the same deep features).
  const perImage = size * size * 3;
  for (let i = 0; i < batch; i++) {
    const [contrast, brightness] = seededValues(2, seed * 7919 + i, 0, 1);
    for (let k = i * perImage; k < (i + 1) * perImage; k++) images[k] = images[k] * (0.25 + 1.5 * contrast) + (brightness - 0.5);
  }
  const labels = new Float32Array(batch * classes);
  for (let i = 0; i < batch; i++) labels[i * classes + ((i * 3 + seed) % classes)] = 1;
  return { images, labels, shape: [batch, size, size, 3], classes };
}

export interface StepScalars {
  lr: number;
  step: number;
  weightDecay: number;
}

/**
 * Runs the training graph once with onnxruntime-node (cpu, 1 thread) on the model's current
 * weights and the given slots (zeros when missing); returns every output by name.
 */
export async function runTrainingGraph(
  graph: TrainingGraph,
  model: tf.LayersModel,
  batch: StepBatch,
  scalars: StepScalars,
  slots: ReadonlyMap<string, Float32Array> = new Map(),
  weights?: ReadonlyMap<string, Float32Array>,
): Promise<Map<string, Float32Array>> {
  const ort = await loadOnnxRuntime();
  const session = await createInferenceSession(graph.bytes, { intraOpThreads: 1 });
  try {
    const scalar = (value: number) => new ort.Tensor('float32', new Float32Array([value]), []);
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
      [graph.inputs.images]: new ort.Tensor('float32', batch.images, batch.shape),
      [graph.inputs.labels]: new ort.Tensor('float32', batch.labels, [batch.shape[0], batch.classes]),
      [graph.inputs.lr]: scalar(scalars.lr),
      [graph.inputs.step]: scalar(scalars.step),
      [graph.inputs.weightDecay]: scalar(scalars.weightDecay),
    };
    const byKey = new Map(model.weights.map((w) => [w.originalName, w]));
    for (const weight of graph.weights) {
      const values = weights?.get(weight.key) ?? (byKey.get(weight.key)!.read().dataSync() as Float32Array);
      feeds[weight.input] = new ort.Tensor('float32', toGraphLayout(values, weight.shape, weight.layout), weight.inputShape);
    }
    for (const slot of graph.slots) {
      const size = slot.shape.reduce((a, b) => a * b, 1);
      feeds[slot.input] = new ort.Tensor('float32', toGraphLayout(slots.get(slot.key) ?? new Float32Array(size), slot.shape, slot.layout), slot.inputShape);
    }
    const results = new Map(Object.entries(await session.run(feeds)).map(([name, tensor]) => [name, tensor.data as Float32Array]));
    // Every weight and slot back in keras's layout, as the tests compare them with tfjs.
    for (const { output, shape, layout } of [...graph.weights, ...graph.slots]) {
      if (output && layout) results.set(output, toKerasLayout(results.get(output)!, shape, layout));
    }
    return results;
  } finally {
    await session.release();
  }
}

export function l2Norm(values: Float32Array): number {
  return Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
}

/**
 * ||a - b|| / max(||b||, floor): one number per weight. The floor makes a weight whose true gradient
 * is zero (a conv bias before BatchNorm: both sides are rounding noise) compare absolutely.
 */
export function normRelativeError(actual: Float32Array, expected: Float32Array, floor = 1e-12): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    norm += expected[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), floor);
}

/**
 * Norm-relative gradient error per weight. A weight whose true gradient is zero (the bias of a conv
 * whose output reaches a training-mode BatchNorm through Adds only: the batch mean removes it) has
 * rounding noise on both sides; those (reference norm below 1e-6 of the global norm) must stay
 * below 1e-5 of the global norm instead, reported on the same scale (1e-4 = the limit).
 */
export function gradientErrors(
  actual: ReadonlyMap<string, Float32Array>,
  graphGradients: ReadonlyArray<{ key: string; output: string }>,
  expected: ReadonlyMap<string, Float32Array>,
): Array<{ key: string; error: number }> {
  const norm = (values: Float32Array) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
  const globalNorm = Math.hypot(...[...expected.values()].map(norm));
  return graphGradients.map(({ key, output }) => {
    const got = actual.get(output)!;
    const want = expected.get(key)!;
    if (norm(want) < 1e-6 * globalNorm) return { key, error: (Math.max(norm(got), norm(want)) / globalNorm) * (1e-4 / 1e-5) };
    return { key, error: normRelativeError(got, want) };
  });
}

const EPSILON = 1e-7;

/** The trainer's categoricalCrossEntropy (packages/trainer/src/loss.ts), reproduced: onnx may not import the trainer. */
export function referenceLoss(targets: tf.Tensor2D, outputs: tf.Tensor2D, labelSmoothing: number, fromLogits: boolean): tf.Scalar {
  const classes = targets.shape[1];
  const y = labelSmoothing > 0 ? tf.add(tf.mul(targets, 1 - labelSmoothing), labelSmoothing / classes) : targets;
  const logProbs = fromLogits ? tf.logSoftmax(outputs) : tf.log(tf.clipByValue(tf.div(outputs, tf.sum(outputs, -1, true)), EPSILON, 1 - EPSILON));
  return tf.mean(tf.neg(tf.sum(tf.mul(y, logProbs), -1))) as tf.Scalar;
}

/**
 * The trainer's forward + loss + gradients on tfjs (train-step.ts): `model.apply(training: true)`
 * inside `tf.variableGrads`, frozen BatchNorm layers in inference mode. Updates the model's moving
 * statistics as the trainer's step does. Returns the loss and each trainable weight's gradient.
 */
export function referenceGradients(
  model: tf.LayersModel,
  batch: StepBatch,
  options: { labelSmoothing: number; fromLogits: boolean },
): { loss: number; gradients: Map<string, Float32Array> } {
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  let result: { loss: number; gradients: Map<string, Float32Array> } | undefined;
  withFrozenBatchNormInInferenceMode(model, () =>
    tf.tidy(() => {
      const xs = tf.tensor(batch.images, batch.shape);
      const ys = tf.tensor2d(batch.labels, [batch.shape[0], batch.classes]);
      const { value, grads } = tf.variableGrads(
        () => referenceLoss(ys, model.apply(xs, { training: true }) as tf.Tensor2D, options.labelSmoothing, options.fromLogits),
        variables,
      );
      const gradients = new Map(weights.map((w, i) => [w.originalName, grads[variables[i].name].dataSync() as Float32Array]));
      result = { loss: value.dataSync()[0], gradients };
    }),
  );
  return result!;
}

/** As the trainer's frozen-batch-norm.ts: a frozen BatchNormalization runs in inference mode. */
function withFrozenBatchNormInInferenceMode<T>(model: tf.LayersModel, fn: () => T): T {
  type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];
  const patched = model.layers.filter((layer) => !layer.trainable && layer.getClassName() === 'BatchNormalization');
  for (const layer of patched) {
    const original = layer.call.bind(layer) as CallFn;
    (layer as unknown as { call: CallFn }).call = (inputs, kwargs) => original(inputs, { ...kwargs, training: false });
  }
  try {
    return fn();
  } finally {
    for (const layer of patched) delete (layer as unknown as { call?: CallFn }).call;
  }
}

/** A copy of every weight's values by key. */
export function snapshotWeights(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync() as Float32Array)]));
}

/** Puts back the values of a snapshot. */
export function restoreWeights(model: tf.LayersModel, snapshot: ReadonlyMap<string, Float32Array>): void {
  for (const w of model.weights) {
    const values = tf.tensor(snapshot.get(w.originalName)!, w.shape as number[]);
    w.write(values);
    values.dispose();
  }
}
