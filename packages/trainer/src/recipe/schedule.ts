import { z } from 'zod';
import { listSchedules, type ScheduleSpec } from '../schedules';
import { metricName } from './metrics';
import { nonNegative, nonNegativeInt, openFraction, positive, registrySpec } from './fields';

/** The settings each schedule takes (`ScheduleSpec`; `createSchedule` fills the defaults). */
const SCHEDULE_SETTINGS = {
  constant: {},
  step: { everyEpochs: positive(), gamma: positive().optional() },
  cosine: { warmupEpochs: nonNegative().optional(), minLr: nonNegative().optional() },
  'one-cycle': { pctStart: openFraction().optional(), divFactor: positive().optional(), finalDivFactor: positive().optional() },
  plateau: {
    monitor: metricName().optional(),
    mode: z.enum(['min', 'max']).optional(),
    factor: openFraction().optional(),
    patience: nonNegativeInt().optional(),
    minDelta: nonNegative().optional(),
    cooldown: nonNegativeInt().optional(),
    minLr: nonNegative().optional(),
  },
} satisfies Record<ScheduleSpec['type'], z.ZodRawShape>;

/** `training.schedule`: `{ type, ...settings }`, the type one of `listSchedules()`. */
export const scheduleSpec = registrySpec<ScheduleSpec>('schedule', listSchedules, SCHEDULE_SETTINGS);
