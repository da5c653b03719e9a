import * as tf from '@tensorflow/tfjs';
import { decays } from '@resnet-ts/zoo';
import type { Batch } from './dataset';
import { categoricalCrossEntropy } from './loss';
import { withFrozenBatchNormInInferenceMode } from './frozen-batch-norm';
import { correctCounts } from './metrics';
import type { Optimizer, ParamUpdate } from './optimizers';

export interface StepOptions {
  lr: number;
  weightDecay: number;
  labelSmoothing: number;
  fromLogits: boolean;
  /** Clip gradients so their global L2 norm is at most this (0 = off). */
  clipNorm: number;
  /** k for top-k accuracy. */
  topK: number;
  /** Learning-rate multipliers by weight key (`weightKey`); weights not in it use 1. */
  lrScales?: ReadonlyMap<string, number>;
}

export interface StepResult {
  loss: number;
  correct: number;
  topKCorrect: number;
  count: number;
  gradNorm: number;
  /** False when the loss was NaN/Inf: no weights were changed. */
  finite: boolean;
}

/** Stable key of a model weight for optimizer slots: unique per model, unchanged by reloading. */
export function weightKey(weight: tf.LayerVariable): string {
  return weight.originalName;
}

/**
 * One optimizer step: forward with `training: true` (BatchNorm uses batch statistics and updates
 * its moving averages), loss, gradients of the trainable weights, global-norm clipping, update.
 * A non-finite loss leaves the weights untouched. The batch's tensors stay owned by the caller.
 */
export async function trainStep(model: tf.LayersModel, optimizer: Optimizer, batch: Batch, options: StepOptions): Promise<StepResult> {
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  let stats: tf.Tensor1D | undefined;
  const { value, grads } = withFrozenBatchNormInInferenceMode(model, () => tf.variableGrads(() => {
    const outputs = model.apply(batch.xs, { training: true }) as tf.Tensor2D;
    const loss = categoricalCrossEntropy(batch.ys, outputs, {
      labelSmoothing: options.labelSmoothing,
      fromLogits: options.fromLogits,
    });
    stats = tf.keep(correctCounts(batch.ys, outputs, options.topK));
    return loss;
  }, variables));
  const gradList = variables.map((v) => grads[v.name]);
  try {
    const normT = tf.tidy(() => tf.sqrt(sumPairwise(gradList.map((g) => tf.sum(tf.square(g))))));
    const summary = tf.tidy(() => tf.concat([tf.reshape(value, [1]), stats!, tf.reshape(normT, [1])]));
    // Async read: dataSync is unsupported or blocking on GPU backends (webgpu, webgl).
    const [loss, correct, topKCorrect, gradNorm] = await summary.data();
    tf.dispose([normT, summary]);
    const result = { loss, correct, topKCorrect, gradNorm, count: batch.xs.shape[0] };
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) return { ...result, finite: false };
    const scale = options.clipNorm > 0 && gradNorm > options.clipNorm ? options.clipNorm / gradNorm : 1;
    tf.tidy(() => {
      const params: ParamUpdate[] = weights.map((w, i) => ({
        key: weightKey(w),
        variable: variables[i],
        grad: scale === 1 ? gradList[i] : tf.mul(gradList[i], scale),
        decay: decays(w),
        lrScale: options.lrScales?.get(weightKey(w)) ?? 1,
      }));
      optimizer.apply(params, options.lr, options.weightDecay);
    });
    return { ...result, finite: true };
  } finally {
    tf.dispose([value, stats!, ...Object.values(grads)]);
  }
}

/**
 * Sums tensors with a tree of two-input adds. One `addN` over every gradient would be one shader
 * with an input per weight, past WebGPU's per-stage storage-buffer limit (8 by default): the
 * pipeline is invalid and the step silently yields zeros.
 */
function sumPairwise(terms: tf.Tensor[]): tf.Tensor {
  let level = terms;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? tf.add(level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0] ?? tf.scalar(0);
}
