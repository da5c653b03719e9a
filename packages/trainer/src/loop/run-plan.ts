import type * as tf from '@tensorflow/tfjs';
import type { TrainBeginLogs } from '../callbacks/types';
import type { TrainingState } from '../checkpoint';
import type { ResolvedTrainConfig } from '../config';
import { batchesPerEpoch, type TrainingDataset } from '../dataset';
import { outputsAreProbabilities } from '../loss';
import { hasTop5 } from '../metrics';
import type { StepOptions } from '../train-step';
import { orderedWeights } from '../weights';

/** What a run's settings and data fix before the first step; throws naming what does not fit. */
export function planRun(model: tf.LayersModel, train: TrainingDataset, config: ResolvedTrainConfig) {
  const classNames = [...train.classNames];
  const outputUnits = (model.outputs[0].shape as number[])[1];
  if (outputUnits !== classNames.length) {
    throw new Error(
      `Model "${model.name}" outputs ${outputUnits} classes but the training data has ${classNames.length} (${classNames.join(', ')}): build the model with classes: ${classNames.length}.`,
    );
  }
  assertUniqueWeightNames(model);
  const stepsPerEpoch = Math.min(batchesPerEpoch(train.size, config.batchSize, config.dropRemainder), config.maxStepsPerEpoch ?? Infinity);
  if (stepsPerEpoch < 1) throw new Error(`The training data (${train.size} images) yields no batch of ${config.batchSize}.`);
  const totalSteps = stepsPerEpoch * config.epochs;
  const stepOptions: Omit<StepOptions, 'lr'> = {
    weightDecay: config.weightDecay,
    labelSmoothing: config.labelSmoothing,
    fromLogits: !outputsAreProbabilities(model),
    clipNorm: config.clipNorm,
    topK: hasTop5(classNames.length) ? 5 : 1,
  };
  return {
    classNames,
    stepsPerEpoch,
    totalSteps,
    /** Sample about 1000 points of the per-step curve. */
    stepLogEvery: Math.max(1, Math.ceil(totalSteps / 1000)),
    stepOptions,
    beginLogs: (state: TrainingState, valSize?: number): TrainBeginLogs => ({
      epochs: config.epochs,
      stepsPerEpoch,
      totalSteps,
      initialEpoch: state.epoch,
      initialStep: state.step,
      batchSize: config.batchSize,
      trainSize: train.size,
      ...(valSize !== undefined ? { valSize } : {}),
    }),
  };
}

function assertUniqueWeightNames(model: tf.LayersModel): void {
  const seen = new Set<string>();
  for (const w of orderedWeights(model)) {
    if (seen.has(w.originalName)) {
      throw new Error(`Model "${model.name}" has two weights named "${w.originalName}": give its layers unique names.`);
    }
    seen.add(w.originalName);
  }
}
