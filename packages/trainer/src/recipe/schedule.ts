import { getSchedule, listSchedules, type ScheduleSpec } from '../schedules';
import { registrySpec } from './fields';

/** `training.schedule`: `{ type, ...settings }`, the type one of `listSchedules()`, the settings its definition's. */
export const scheduleSpec = registrySpec<ScheduleSpec>('schedule', listSchedules, (type) => getSchedule(type).settings);
