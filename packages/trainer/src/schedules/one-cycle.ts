import { openFraction, positive } from '../recipe/fields';
import type { ScheduleDefinition } from './types';

/** Smith's one-cycle (PyTorch OneCycleLR, cosine): base rate is the peak. */
export interface OneCycleSchedule {
  type: 'one-cycle';
  /** Fraction of the steps spent rising. Default 0.3. */
  pctStart?: number;
  /** Initial rate = base / divFactor. Default 25. */
  divFactor?: number;
  /** Final rate = initial / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
}

const cosineBetween = (from: number, to: number, t: number) => to + 0.5 * (from - to) * (1 + Math.cos(Math.PI * t));

export const oneCycle: ScheduleDefinition<OneCycleSchedule> = {
  name: 'one-cycle',
  settings: { pctStart: openFraction().optional(), divFactor: positive().optional(), finalDivFactor: positive().optional() },
  create(spec, { baseLr, totalSteps }) {
    const pctStart = spec.pctStart ?? 0.3;
    const initial = baseLr / (spec.divFactor ?? 25);
    const final = initial / (spec.finalDivFactor ?? 1e4);
    const peakStep = Math.max(1, Math.round(pctStart * totalSteps) - 1);
    const last = Math.max(peakStep + 1, totalSteps - 1);
    const lrAt = (step: number) =>
      step <= peakStep
        ? cosineBetween(initial, baseLr, step / peakStep)
        : cosineBetween(baseLr, final, Math.min(1, (step - peakStep) / (last - peakStep)));
    return { lrAt };
  },
};
