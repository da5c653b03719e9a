import type * as tf from '@tensorflow/tfjs';
import type { BatchNormParameters } from './context';
import type { ModelCall } from './model-graph';
import { readWeight, requireWeight } from './weights';

/** Layer classes whose weights can absorb a following BatchNormalization. */
const FOLDABLE_PRODUCERS = new Set(['Conv2D', 'Dense']);

/**
 * Chooses the BatchNormalization calls to fold: those whose single input comes straight from a
 * Conv2D/Dense with a linear activation, that nothing else reads and that is not a model output.
 * Returns producer call -> the BatchNormalization call folded into it.
 */
export function planBatchNormFolding(calls: readonly ModelCall[], modelOutputIds: ReadonlySet<number>): Map<ModelCall, ModelCall> {
  const readers = new Map<number, number>();
  for (const call of calls) for (const input of call.inputs) readers.set(input.id, (readers.get(input.id) ?? 0) + 1);
  const producerOf = new Map<number, ModelCall>();
  for (const call of calls) for (const output of call.outputs) producerOf.set(output.id, call);

  const plan = new Map<ModelCall, ModelCall>();
  for (const call of calls) {
    if (call.className !== 'BatchNormalization' || call.inputs.length !== 1) continue;
    const input = call.inputs[0];
    const producer = producerOf.get(input.id);
    if (!producer || !FOLDABLE_PRODUCERS.has(producer.className) || plan.has(producer)) continue;
    const producerConfig = producer.layer.getConfig();
    const batchNormAxis = Number(call.layer.getConfig().axis ?? -1);
    const isChannelAxis = batchNormAxis === -1 || batchNormAxis === input.shape.length - 1;
    if ((producerConfig.activation ?? 'linear') !== 'linear' || !isChannelAxis) continue;
    if (readers.get(input.id) !== 1 || modelOutputIds.has(input.id)) continue;
    plan.set(producer, call);
  }
  return plan;
}

/** Reads a BatchNormalization's parameters in float64; missing gamma/beta (scale/center off) are 1/0. */
export function readBatchNormParameters(layer: tf.layers.Layer): BatchNormParameters {
  const mean = Float64Array.from(requireWeight(layer, 'moving_mean').values);
  const variance = Float64Array.from(requireWeight(layer, 'moving_variance').values);
  const gamma = readWeight(layer, 'gamma')?.values;
  const beta = readWeight(layer, 'beta')?.values;
  return {
    layerName: layer.name,
    mean,
    variance,
    gamma: gamma ? Float64Array.from(gamma) : new Float64Array(mean.length).fill(1),
    beta: beta ? Float64Array.from(beta) : new Float64Array(mean.length),
    epsilon: Number(layer.getConfig().epsilon ?? 1e-3),
  };
}

/**
 * Folds y = gamma * (Wx + b - mean) / sqrt(var + eps) + beta into W and b: scales `weights` in
 * place per output channel and returns the new bias. `outputAxis` says where the output channel
 * sits in `weights`: 'outer' for OIHW conv kernels, 'inner' for [in, out] dense kernels.
 */
export function foldBatchNormIntoKernel(
  weights: Float32Array,
  bias: ArrayLike<number> | undefined,
  bn: BatchNormParameters,
  outputAxis: 'outer' | 'inner',
): Float64Array {
  const channels = bn.mean.length;
  const scale = new Float64Array(channels);
  const foldedBias = new Float64Array(channels);
  for (let o = 0; o < channels; o++) {
    scale[o] = bn.gamma[o] / Math.sqrt(bn.variance[o] + bn.epsilon);
    foldedBias[o] = ((bias ? bias[o] : 0) - bn.mean[o]) * scale[o] + bn.beta[o];
  }
  const perChannel = weights.length / channels;
  for (let k = 0; k < weights.length; k++) {
    const o = outputAxis === 'outer' ? Math.floor(k / perChannel) : k % channels;
    weights[k] *= scale[o];
  }
  return foldedBias;
}
