export { createSchedule, registerSchedule, listSchedules, getSchedule, type ScheduleSpec, type CustomScheduleSpecs } from './registry';
export type { LrSchedule, ScheduleContext, ScheduleDefinition } from './types';
