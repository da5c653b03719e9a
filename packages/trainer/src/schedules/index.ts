export { createSchedule, registerSchedule, listSchedules, type ScheduleSpec, type CustomScheduleSpecs } from './registry';
export type { LrSchedule, ScheduleContext, ScheduleDefinition } from './types';
