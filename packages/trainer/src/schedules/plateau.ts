import type { ReduceLrOnPlateauOptions } from '../callbacks/reduce-lr-on-plateau';
import type { ScheduleDefinition } from './types';

/** Constant rate, multiplied by `factor` when `monitor` has not improved for `patience` epochs. */
export interface PlateauSchedule extends ReduceLrOnPlateauOptions {
  type: 'plateau';
}

/** The base rate: the `ReduceLrOnPlateau` callback, which the trainer adds for it, scales it when the metric stalls. */
export const plateau: ScheduleDefinition<PlateauSchedule> = {
  name: 'plateau',
  create: (_spec, { baseLr }) => ({ lrAt: () => baseLr }),
};
