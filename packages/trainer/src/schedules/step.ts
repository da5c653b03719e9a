import { positive } from '../recipe/fields';
import type { ScheduleDefinition } from './types';

/** Multiplies the rate by `gamma` every `everyEpochs` epochs (Keras/PyTorch StepLR). */
export interface StepSchedule {
  type: 'step';
  everyEpochs: number;
  /** Default 0.1. */
  gamma?: number;
}

export const step: ScheduleDefinition<StepSchedule> = {
  name: 'step',
  settings: { everyEpochs: positive(), gamma: positive().optional() },
  create(spec, { baseLr, stepsPerEpoch }) {
    if (!(spec.everyEpochs > 0)) throw new Error(`schedule "step": everyEpochs must be > 0, got ${spec.everyEpochs}.`);
    const every = spec.everyEpochs * stepsPerEpoch;
    const gamma = spec.gamma ?? 0.1;
    return { lrAt: (t) => baseLr * gamma ** Math.floor(t / every) };
  },
};
