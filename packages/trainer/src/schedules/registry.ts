import { Registry, type SpecsOf } from '../registry';
import { constant } from './constant';
import { cosine } from './cosine';
import { oneCycle } from './one-cycle';
import { plateau } from './plateau';
import { step } from './step';
import type { LrSchedule, ScheduleContext, ScheduleDefinition } from './types';

/** The built-in schedules: adding one is its file plus one entry here (its spec joins ScheduleSpec). */
const BUILTIN = [constant, step, cosine, oneCycle, plateau] as const;

/** Options of schedules registered outside this package, by name (declaration merging, as CustomOptimizerSpecs). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CustomScheduleSpecs {}

type SpecOf<D> = D extends ScheduleDefinition<infer S> ? S : never;

/** Which learning-rate schedule to use and its settings. */
export type ScheduleSpec = SpecOf<(typeof BUILTIN)[number]> | SpecsOf<CustomScheduleSpecs>;

const schedules = new Registry<ScheduleDefinition>('schedule', BUILTIN);

/** Makes `createSchedule({ type: definition.name }, ctx)` (and the CLI's `--schedule`) use this schedule. */
export function registerSchedule<S extends { type: string }>(definition: ScheduleDefinition<S>): void {
  schedules.register(definition);
}

/** The schedule registered as `name`; throws naming the registered ones. */
export function getSchedule(name: string): ScheduleDefinition {
  return schedules.get(name);
}

/** Names of the registered schedules, built-ins first. */
export function listSchedules(): string[] {
  return schedules.names();
}

/** The schedule of `spec.type` for a run; throws naming the registered ones for an unknown type. */
export function createSchedule(spec: ScheduleSpec, ctx: ScheduleContext): LrSchedule {
  return schedules.get(spec.type).create(spec, ctx);
}
