import type { GraphOps } from './graph-ops';

/** Keras's clip of probabilities before the log (as the trainer's categoricalCrossEntropy). */
const EPSILON = 1e-7;

export interface CrossEntropy {
  /** Batch-mean loss, shape []. */
  loss: string;
  /** d loss / d outputs, [B, classes]. */
  outputGradient: string;
}

/**
 * The trainer's categoricalCrossEntropy (packages/trainer/src/loss.ts) and its gradient, derived by
 * hand through every op tfjs differentiates: label smoothing; from logits, log-softmax; from
 * probabilities, renormalize, clip to [eps, 1 - eps] (no gradient where clipped, bounds inclusive as
 * tfjs's clipByValue gradient) and log.
 */
export function crossEntropy(ops: GraphOps, labels: string, outputs: string, classes: number, options: { labelSmoothing: number; fromLogits: boolean }): CrossEntropy {
  const s = options.labelSmoothing;
  const targets = s > 0 ? ops.add(ops.mul(labels, ops.scalar(1 - s), 'loss/targets_scaled'), ops.scalar(s / classes), 'loss/targets') : labels;
  const batch = ops.node('Cast', [ops.node('Gather', [ops.node('Shape', [labels], 'loss/labels_shape'), ops.ints([0])], 'loss/batch_i64')], 'loss/batch', { to: 1 });
  const inverseBatch = ops.div(ops.scalar(1), batch, 'loss/inv_batch');
  const negInverseBatch = ops.node('Neg', [inverseBatch], 'loss/neg_inv_batch');

  const logProbs = options.fromLogits ? ops.node('LogSoftmax', [outputs], 'loss/log_probs', { axis: 1 }) : undefined;
  let outputGradient: string;
  let logTerm: string;
  if (logProbs) {
    logTerm = logProbs;
    // d/dz of -mean(sum(y * logsoftmax(z))) = (softmax(z) * sum(y) - y) / B
    const probs = ops.node('Softmax', [outputs], 'loss/probs', { axis: 1 });
    const targetMass = ops.reduceSum(targets, [1], true, 'loss/target_mass');
    outputGradient = ops.mul(ops.sub(ops.mul(probs, targetMass, 'loss/probs_mass'), targets, 'loss/logit_residual'), inverseBatch, 'loss/output_grad');
  } else {
    const total = ops.reduceSum(outputs, [1], true, 'loss/output_sum');
    const renormalized = ops.div(outputs, total, 'loss/renormalized');
    const clipped = ops.node('Clip', [renormalized, ops.scalar(EPSILON), ops.scalar(1 - EPSILON)], 'loss/clipped');
    logTerm = ops.node('Log', [clipped], 'loss/log_probs');
    // dL/dq = -y / (B q) inside the clip bounds, 0 outside.
    const dLog = ops.mul(targets, negInverseBatch, 'loss/dlog');
    const dClipped = ops.div(dLog, clipped, 'loss/dclipped');
    const inside = ops.node('And', [
      ops.node('GreaterOrEqual', [renormalized, ops.scalar(EPSILON)], 'loss/above_min'),
      ops.node('LessOrEqual', [renormalized, ops.scalar(1 - EPSILON)], 'loss/below_max'),
    ], 'loss/inside_clip');
    const dRenormalized = ops.node('Where', [inside, dClipped, ops.scalar(0)], 'loss/drenormalized');
    // q = p / s: dp = dq / s - sum(dq * p) / s^2
    const direct = ops.div(dRenormalized, total, 'loss/dp_direct');
    const viaSum = ops.div(ops.reduceSum(ops.mul(dRenormalized, outputs, 'loss/dq_p'), [1], true, 'loss/dq_p_sum'), ops.mul(total, total, 'loss/sum_sq'), 'loss/dp_sum');
    outputGradient = ops.sub(direct, viaSum, 'loss/output_grad');
  }
  const perRow = ops.reduceSum(ops.mul(targets, logTerm, 'loss/target_log'), [1], false, 'loss/row_dot');
  const loss = ops.node('Neg', [ops.reduceMean(perRow, [0], false, 'loss/mean_dot')], 'loss');
  return { loss, outputGradient };
}

/**
 * Top-1 and top-k counts as the trainer's correctCounts: argmax(outputs) equals argmax(labels),
 * and fewer than k classes strictly beat the target's score.
 */
export function correctCounts(ops: GraphOps, labels: string, outputs: string, k: number): { correct: string; topKCorrect: string } {
  const target = ops.node('ArgMax', [labels], 'metrics/target', { axis: 1, keepdims: 1 });
  const predicted = ops.node('ArgMax', [outputs], 'metrics/predicted', { axis: 1, keepdims: 1 });
  const hits = ops.node('Cast', [ops.node('Equal', [predicted, target], 'metrics/hit')], 'metrics/hit_f', { to: 1 });
  const correct = ops.reduceSum(hits, [0, 1], false, 'correct');
  const targetScore = ops.node('GatherElements', [outputs, target], 'metrics/target_score', { axis: 1 });
  const beaten = ops.reduceSum(ops.node('Cast', [ops.node('Greater', [outputs, targetScore], 'metrics/beats')], 'metrics/beats_f', { to: 1 }), [1], false, 'metrics/beaten');
  const inTopK = ops.node('Cast', [ops.node('Less', [beaten, ops.scalar(k)], 'metrics/in_top_k')], 'metrics/in_top_k_f', { to: 1 });
  return { correct, topKCorrect: ops.reduceSum(inTopK, [0], false, 'top_k_correct') };
}
