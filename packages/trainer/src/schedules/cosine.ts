import { nonNegative } from '../recipe/fields';
import type { ScheduleDefinition } from './types';

/** Linear warmup from ~0 to the base rate, then cosine decay to `minLr` at the last step. */
export interface CosineSchedule {
  type: 'cosine';
  /** Default 0. */
  warmupEpochs?: number;
  /** Default 0. */
  minLr?: number;
}

export const cosine: ScheduleDefinition<CosineSchedule> = {
  name: 'cosine',
  settings: { warmupEpochs: nonNegative().optional(), minLr: nonNegative().optional() },
  create(spec, { baseLr, stepsPerEpoch, totalSteps }) {
    const warmup = Math.round((spec.warmupEpochs ?? 0) * stepsPerEpoch);
    const minLr = spec.minLr ?? 0;
    const lrAt = (step: number) => {
      if (step < warmup) return (baseLr * (step + 1)) / warmup;
      const span = Math.max(1, totalSteps - warmup - 1);
      const progress = Math.min(1, (step - warmup) / span);
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
    };
    return { lrAt };
  },
};
