import type { ReduceLrOnPlateauOptions } from '../callbacks/reduce-lr-on-plateau';
import { z } from 'zod';
import { metricName } from '../recipe/metrics';
import { nonNegative, nonNegativeInt, openFraction } from '../recipe/fields';
import type { ScheduleDefinition } from './types';

/** Constant rate, multiplied by `factor` when `monitor` has not improved for `patience` epochs. */
export interface PlateauSchedule extends ReduceLrOnPlateauOptions {
  type: 'plateau';
}

/** The base rate: the `ReduceLrOnPlateau` callback, which the trainer adds for it, scales it when the metric stalls. */
export const plateau: ScheduleDefinition<PlateauSchedule> = {
  name: 'plateau',
  settings: {
    monitor: metricName().optional(),
    mode: z.enum(['min', 'max']).optional(),
    factor: openFraction().optional(),
    patience: nonNegativeInt().optional(),
    minDelta: nonNegative().optional(),
    cooldown: nonNegativeInt().optional(),
    minLr: nonNegative().optional(),
  },
  create: (_spec, { baseLr }) => ({ lrAt: () => baseLr }),
};
