import { layerError, type BackwardContext, type LayerTrainer, type TrainedLayer, type TrainingLayerContext, type WeightInput } from '../context';

/**
 * BatchNormalization over the channel axis. A trainable layer runs in training mode as tfjs-layers
 * does: batch mean and biased variance (tf.moments), moving = moving - (moving - batch) * (1 - momentum),
 * and the standard backward through the batch statistics. A frozen layer (`trainable = false`) runs
 * in inference mode on its moving statistics and updates nothing, as the trainer's
 * withFrozenBatchNormInInferenceMode makes tfjs do. An inference graph (`batchNorm: 'moving'`)
 * runs every layer that way.
 */
export const trainBatchNormalization: LayerTrainer = (c) => {
  const input = c.inputs[0];
  const rank = input.shape.length;
  const axis = Number(Array.isArray(c.config.axis) ? c.config.axis[0] : (c.config.axis ?? -1));
  if (axis !== -1 && axis !== rank - 1) layerError(c, `axis ${axis} is not the channel axis; only channels-last normalization trains`);
  if (rank !== 4 && rank !== 2) layerError(c, `input rank ${rank} is not supported (2 or 4)`);
  const channels = Number(input.shape[rank - 1]);
  const epsilon = Number(c.config.epsilon ?? 1e-3);
  const movingMean = c.weight('moving_mean') ?? layerError(c, 'has no moving_mean; was the model built?');
  const movingVariance = c.weight('moving_variance') ?? layerError(c, 'has no moving_variance; was the model built?');
  const gamma = c.config.scale === false ? undefined : c.weight('gamma');
  const beta = c.config.center === false ? undefined : c.weight('beta');
  const weights = { channels, epsilon, movingMean, movingVariance, gamma, beta };
  return c.layer.trainable && c.batchNorm === 'batch' ? trainingMode(c, weights) : inferenceMode(c, weights);
};

interface BatchNormWeights {
  channels: number;
  epsilon: number;
  movingMean: WeightInput;
  movingVariance: WeightInput;
  gamma?: WeightInput;
  beta?: WeightInput;
}

/**
 * Training mode in few full-tensor passes (each Mul/Add broadcast over [1, C, 1, 1] goes span by
 * span in onnxruntime, slow where H*W is small): the centered input is the one tensor kept for the
 * backward; the variance is a ReduceSumSquare of it, and the output one BatchNormalization op on
 * the batch statistics. The backward writes dx = dy * a + centered * b + c with per-channel a, b, c.
 */
function trainingMode(c: TrainingLayerContext, w: BatchNormWeights): TrainedLayer {
  const { ops } = c;
  const name = c.layer.name;
  const x = c.inputs[0].name;
  const rank = c.inputs[0].shape.length;
  const axes = rank === 4 ? [0, 2, 3] : [0];
  const broadcast = rank === 4 ? [1, w.channels, 1, 1] : [1, w.channels];
  const inverseCount = inverseCountPerChannel(c, x, w.channels);
  const mean = ops.reduceMean(x, axes, true, `${name}/batch_mean`);
  const centered = ops.sub(x, mean, `${name}/centered`);
  const variance = ops.mul(ops.node('ReduceSumSquare', [centered, ops.ints(axes)], `${name}/centered_sq_sum`, { keepdims: 1 }), inverseCount, `${name}/batch_variance`);
  const meanFlat = ops.reshape(mean, [w.channels], `${name}/batch_mean_flat`);
  const varianceFlat = ops.reshape(variance, [w.channels], `${name}/batch_variance_flat`);
  const gamma = w.gamma?.name ?? ops.node('Expand', [ops.scalar(1), ops.ints([w.channels])], `${name}/gamma_ones`);
  const beta = w.beta?.name ?? ops.node('Expand', [ops.scalar(0), ops.ints([w.channels])], `${name}/beta_zeros`);
  const y = ops.node('BatchNormalization', [x, gamma, beta, meanFlat, varianceFlat], c.outputName, { epsilon: w.epsilon }, ['epsilon']);

  const decay = ops.scalar(1 - Number(c.config.momentum ?? 0.99));
  const moving = (stat: WeightInput, batchFlat: string, label: string) => {
    const delta = ops.mul(ops.sub(stat.name, batchFlat, `${name}/${label}_delta`), decay, `${name}/${label}_step`);
    c.setUpdatedValue(stat, ops.sub(stat.name, delta, `${name}/new_${label}`));
  };
  moving(w.movingMean, meanFlat, 'moving_mean');
  moving(w.movingVariance, varianceFlat, 'moving_variance');
  c.setBatchStatistic(w.movingMean, meanFlat);
  c.setBatchStatistic(w.movingVariance, varianceFlat);

  return {
    output: { name: y, shape: c.outputShape },
    backward: (b: BackwardContext) => {
      // Per channel [1, C, 1, 1]: invStd, and the sums of dy and dy * centered (dy * xhat = that * invStd).
      const invStd = ops.node('Reciprocal', [ops.node('Sqrt', [ops.add(variance, ops.scalar(w.epsilon), `${name}/variance_eps`)], `${name}/std`)], `${name}/inv_std`);
      const sumDy = ops.reduceSum(b.dy, axes, true, `${name}/sum_dy`);
      const sumDyCentered = ops.reduceSum(ops.mul(b.dy, centered, `${name}/dy_centered`), axes, true, `${name}/sum_dy_centered`);
      const sumDyXhat = ops.mul(sumDyCentered, invStd, `${name}/sum_dy_xhat`);
      if (w.beta?.trainable) b.setGradient(w.beta, ops.reshape(sumDy, [w.channels], `${name}/beta_grad`));
      if (w.gamma?.trainable) b.setGradient(w.gamma, ops.reshape(sumDyXhat, [w.channels], `${name}/gamma_grad`));
      if (!b.inputNeedsGradient[0]) return [undefined];
      // dx = f * (dy - mean(dy) - xhat * mean(dy * xhat)), f = gamma * invStd, xhat = centered * invStd:
      // a = f, b = -f * invStd * mean(dy * xhat), c = -f * mean(dy).
      const f = w.gamma ? ops.mul(ops.reshape(w.gamma.name, broadcast, `${name}/gamma_b`), invStd, `${name}/dx_factor`) : invStd;
      const negF = ops.node('Neg', [f], `${name}/dx_factor_neg`);
      const onCentered = ops.mul(negF, ops.mul(invStd, ops.mul(sumDyXhat, inverseCount, `${name}/mean_dy_xhat`), `${name}/mean_dy_xhat_std`), `${name}/dx_centered_coefficient`);
      const offset = ops.mul(negF, ops.mul(sumDy, inverseCount, `${name}/mean_dy`), `${name}/dx_offset`);
      const fromDy = ops.mul(b.dy, f, `${name}/dx_from_dy`);
      const fromCentered = affinePerChannel(ops, centered, ops.reshape(onCentered, [w.channels], `${name}/dx_centered_coefficient_flat`), ops.reshape(offset, [w.channels], `${name}/dx_offset_flat`), w.channels, `${name}/dx_from_centered`);
      return [ops.add(fromDy, fromCentered, `${name}/input_grad`)];
    },
  };
}

/**
 * x * scale + bias per channel ([C] each) in one pass: a BatchNormalization with mean 0, variance 1
 * and epsilon 0 is exactly that, and runs per channel where a broadcast Mul and Add go span by span.
 */
function affinePerChannel(ops: TrainingLayerContext['ops'], x: string, scale: string, bias: string, channels: number, base: string): string {
  const zeros = ops.node('Expand', [ops.scalar(0), ops.ints([channels])], `${base}/zeros`);
  const ones = ops.node('Expand', [ops.scalar(1), ops.ints([channels])], `${base}/ones`);
  return ops.node('BatchNormalization', [x, scale, bias, zeros, ones], base, { epsilon: 0 }, ['epsilon']);
}

/** 1 / (N*H*W), read from the input's size at run time (the batch size may be symbolic). */
function inverseCountPerChannel(c: TrainingLayerContext, x: string, channels: number): string {
  const { ops } = c;
  const size = ops.node('Cast', [ops.node('Size', [x], `${c.layer.name}/size`)], `${c.layer.name}/size_f`, { to: 1 });
  return ops.div(ops.scalar(channels), size, `${c.layer.name}/inv_count`);
}

function inferenceMode(c: TrainingLayerContext, w: BatchNormWeights): TrainedLayer {
  const { ops } = c;
  const name = c.layer.name;
  const gamma = w.gamma?.name ?? ops.node('Expand', [ops.scalar(1), ops.ints([w.channels])], `${name}/gamma_ones`);
  const beta = w.beta?.name ?? ops.node('Expand', [ops.scalar(0), ops.ints([w.channels])], `${name}/beta_zeros`);
  const y = ops.node('BatchNormalization', [c.inputs[0].name, gamma, beta, w.movingMean.name, w.movingVariance.name], c.outputName, { epsilon: w.epsilon }, ['epsilon']);
  return {
    output: { name: y, shape: c.outputShape },
    backward: (b: BackwardContext) => {
      if (!b.inputNeedsGradient[0]) return [undefined];
      const rank = c.inputs[0].shape.length;
      const broadcast = rank === 4 ? [1, w.channels, 1, 1] : [1, w.channels];
      const std = ops.node('Sqrt', [ops.add(w.movingVariance.name, ops.scalar(w.epsilon), `${name}/moving_variance_eps`)], `${name}/moving_std`);
      const factor = ops.reshape(ops.div(gamma, std, `${name}/frozen_factor`), broadcast, `${name}/frozen_factor_b`);
      return [ops.mul(b.dy, factor, `${name}/input_grad`)];
    },
  };
}
