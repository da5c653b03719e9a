/**
 * Learning-rate schedules, evaluated per optimizer step. Epoch-based settings are converted to
 * steps with the run's steps per epoch, so a schedule means the same thing at any batch size.
 */
export type ScheduleSpec =
  | { type: 'constant' }
  /** Multiplies the rate by `gamma` every `everyEpochs` epochs (Keras/PyTorch StepLR). */
  | { type: 'step'; everyEpochs: number; gamma?: number }
  /** Linear warmup from ~0 to the base rate, then cosine decay to `minLr` at the last step. */
  | { type: 'cosine'; warmupEpochs?: number; minLr?: number }
  /** Smith's one-cycle (PyTorch OneCycleLR, cosine): base rate is the peak. */
  | { type: 'one-cycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number }
  /** Constant rate, multiplied by `factor` when `monitor` has not improved for `patience` epochs. */
  | {
      type: 'plateau';
      monitor?: string;
      mode?: 'min' | 'max';
      factor?: number;
      patience?: number;
      minDelta?: number;
      cooldown?: number;
      minLr?: number;
    };

// PLACEHOLDER (recipe branch): the schedule registry replaces this with its own listSchedules()
// at merge; the recipe schema only needs the list of registered names.
/** The registered schedule names, which the recipe schema accepts for `training.schedule.type`. */
export const listSchedules = (): readonly string[] => ['constant', 'step', 'cosine', 'one-cycle', 'plateau'];

export interface ScheduleContext {
  baseLr: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

/** Mutable state of schedules that react to metrics (only `plateau` has any). */
export interface ScheduleState {
  scale: number;
  best: number | null;
  wait: number;
  cooldown: number;
}

export interface LrSchedule {
  /** Learning rate for the 0-based optimizer step `step`. */
  lrAt(step: number): number;
  /** Feeds end-of-epoch logs to metric-driven schedules. Returns true when the rate changed. */
  onEpochEnd(logs: Readonly<Record<string, number | undefined>>): boolean;
  state(): ScheduleState;
  restore(state: ScheduleState): void;
}

export function createSchedule(spec: ScheduleSpec, ctx: ScheduleContext): LrSchedule {
  const { baseLr, stepsPerEpoch, totalSteps } = ctx;
  let state: ScheduleState = { scale: 1, best: null, wait: 0, cooldown: 0 };
  let lrAt: (step: number) => number;
  switch (spec.type) {
    case 'constant':
    case 'plateau':
      lrAt = () => baseLr;
      break;
    case 'step': {
      if (!(spec.everyEpochs > 0)) throw new Error(`schedule "step": everyEpochs must be > 0, got ${spec.everyEpochs}.`);
      const every = spec.everyEpochs * stepsPerEpoch;
      const gamma = spec.gamma ?? 0.1;
      lrAt = (step) => baseLr * gamma ** Math.floor(step / every);
      break;
    }
    case 'cosine': {
      const warmup = Math.round((spec.warmupEpochs ?? 0) * stepsPerEpoch);
      const minLr = spec.minLr ?? 0;
      lrAt = (step) => {
        if (step < warmup) return (baseLr * (step + 1)) / warmup;
        const span = Math.max(1, totalSteps - warmup - 1);
        const progress = Math.min(1, (step - warmup) / span);
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
      };
      break;
    }
    case 'one-cycle': {
      const pctStart = spec.pctStart ?? 0.3;
      const initial = baseLr / (spec.divFactor ?? 25);
      const final = initial / (spec.finalDivFactor ?? 1e4);
      const peakStep = Math.max(1, Math.round(pctStart * totalSteps) - 1);
      const last = Math.max(peakStep + 1, totalSteps - 1);
      const cosine = (from: number, to: number, t: number) => to + 0.5 * (from - to) * (1 + Math.cos(Math.PI * t));
      lrAt = (step) =>
        step <= peakStep
          ? cosine(initial, baseLr, step / peakStep)
          : cosine(baseLr, final, Math.min(1, (step - peakStep) / (last - peakStep)));
      break;
    }
    default:
      throw new Error(
        `Unknown schedule "${(spec as { type: string }).type}": use constant, step, cosine, one-cycle or plateau.`,
      );
  }

  const plateau = spec.type === 'plateau' ? spec : null;
  return {
    lrAt: (step) => lrAt(step) * state.scale,
    onEpochEnd(logs) {
      if (!plateau) return false;
      const monitor = plateau.monitor ?? 'val_loss';
      const value = logs[monitor] ?? (monitor.startsWith('val_') ? logs[monitor.slice(4)] : undefined);
      if (value === undefined || !Number.isFinite(value)) return false;
      const mode = plateau.mode ?? (monitor.includes('acc') ? 'max' : 'min');
      const minDelta = plateau.minDelta ?? 1e-4;
      const improved =
        state.best === null || (mode === 'min' ? value < state.best - minDelta : value > state.best + minDelta);
      if (state.cooldown > 0) state.cooldown -= 1;
      if (improved) {
        state.best = value;
        state.wait = 0;
        return false;
      }
      if (state.cooldown > 0) return false;
      state.wait += 1;
      if (state.wait < (plateau.patience ?? 2)) return false;
      const minScale = (plateau.minLr ?? 0) / baseLr;
      const next = Math.max(minScale, state.scale * (plateau.factor ?? 0.1));
      state.wait = 0;
      state.cooldown = plateau.cooldown ?? 0;
      if (next === state.scale) return false;
      state.scale = next;
      return true;
    },
    state: () => ({ ...state }),
    restore(saved) {
      state = { ...saved };
    },
  };
}
