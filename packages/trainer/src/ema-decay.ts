/** When weight EMA folds the weights in, and with which decay (see `EmaOptions`). */
export interface EmaSchedule {
  /** The decay per optimizer step, in (0, 1). */
  decay: number;
  /** Fold the weights in every this many optimizer steps. Default 1. */
  every?: number;
  /** timm's EMA warmup: a smaller decay over the first steps, so a short run is not pulled back to its start. */
  warmup?: boolean;
}

/** Whether the schedule folds the weights in after optimizer step `step` (1-based). */
export function emaUpdatesAt(step: number, schedule: EmaSchedule): boolean {
  return step >= 1 && step % (schedule.every ?? 1) === 0;
}

/**
 * The decay of a fold after optimizer step `step` that covers the `steps` steps since the last one:
 * the per-step decay to the power `steps`, so the average forgets at the same rate per step whether
 * it is updated every step or every few (torchvision's `--model-ema-steps` adjusts its rate the
 * same way). With `warmup`, the per-step decay is `min(decay, 1 - (1 + step) ** -0.75)` (timm's
 * ModelEmaV3 with power 3/4, its choice for short runs): 0.41 after the first step, 0.97 after
 * 100, 0.99 from step 464 and 0.999 from about step 10,000.
 */
export function emaDecay(step: number, steps: number, schedule: EmaSchedule): number {
  const perStep = schedule.warmup ? Math.min(schedule.decay, 1 - (1 + step) ** -0.75) : schedule.decay;
  return perStep ** steps;
}
