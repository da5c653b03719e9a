/**
 * TEMPORARY ADAPTER for `@resnet-ts/trainer` (announced API: `train` with Keras-like callbacks and a
 * way to stop, `predict` with top-k and class names). Delete once the package exports these.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from './data';

export interface Logs {
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

export interface TrainCallbacks {
  onBatchEnd?: (step: number, logs: Logs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
}

export interface TrainOptions {
  model: tf.LayersModel;
  train: ImageDataset;
  val?: ImageDataset;
  epochs: number;
  batchSize: number;
  learningRate?: number;
  callbacks?: TrainCallbacks;
  signal?: AbortSignal;
}

export async function train(options: TrainOptions): Promise<{ stopped: boolean }> {
  const { model, epochs, batchSize, callbacks = {}, signal } = options;
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  let step = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for await (const { xs, ys } of options.train.batches({ batchSize, epoch, shuffle: true })) {
        if (signal?.aborted) {
          tf.dispose([xs, ys]);
          return { stopped: true };
        }
        let hits: tf.Scalar | undefined;
        const loss = optimizer.minimize(() => {
          const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
          hits = tf.keep(tf.sum<tf.Tensor>(tf.cast(tf.equal(tf.argMax(probs, 1), tf.argMax(ys, 1)), 'float32'))) as tf.Scalar;
          return tf.losses.softmaxCrossEntropy(ys, tf.log(tf.clipByValue(probs, 1e-7, 1))) as tf.Scalar;
        }, true)!;
        const [lossValue, hitValue] = [(await loss.data())[0], (await hits!.data())[0]];
        tf.dispose([xs, ys, loss, hits!]);
        lossSum += lossValue * ys.shape[0];
        correct += hitValue;
        seen += ys.shape[0];
        step++;
        await callbacks.onBatchEnd?.(step, { loss: lossValue, accuracy: hitValue / ys.shape[0] });
      }
      await callbacks.onEpochEnd?.(epoch, { loss: lossSum / seen, accuracy: correct / seen });
    }
    return { stopped: false };
  } finally {
    optimizer.dispose();
  }
}

export interface Prediction {
  index: number;
  className: string;
  probability: number;
}

export async function predict(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: { topK: number; classNames: string[] },
): Promise<Prediction[][]> {
  const probs = model.predict(images) as tf.Tensor2D;
  const rows = (await probs.array()) as number[][];
  probs.dispose();
  return rows.map((row) =>
    row
      .map((probability, index) => ({ index, probability, className: options.classNames[index] ?? `class ${index}` }))
      .sort((a, b) => b.probability - a.probability)
      .slice(0, options.topK),
  );
}
