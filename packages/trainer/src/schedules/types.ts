import type { z } from 'zod';

export interface ScheduleContext {
  baseLr: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

export interface LrSchedule {
  /** Learning rate for the 0-based optimizer step `step`. */
  lrAt(step: number): number;
}

/**
 * A learning-rate schedule, evaluated per optimizer step. Epoch-based settings are converted to
 * steps with the run's steps per epoch, so a schedule means the same thing at any batch size.
 */
export interface ScheduleDefinition<S extends { type: string } = { type: string }> {
  /** The `type` of its spec, as in `createSchedule({ type: name }, ctx)` and `--schedule name`. */
  name: S['type'];
  /** The spec's settings besides `type`, as the recipe validates them; without it any settings pass. */
  settings?: z.ZodRawShape;
  create(spec: S, ctx: ScheduleContext): LrSchedule;
}
