import type { ScheduleDefinition } from './types';

export interface ConstantSchedule {
  type: 'constant';
}

export const constant: ScheduleDefinition<ConstantSchedule> = {
  name: 'constant',
  settings: {},
  create: (_spec, { baseLr }) => ({ lrAt: () => baseLr }),
};
