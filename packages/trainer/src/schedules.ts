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
 * The rate of each step. `plateau` is a constant rate here: the `ReduceLrOnPlateau` callback, which
 * the trainer adds for it, scales it when the metric stalls.
 */
export function createSchedule(spec: ScheduleSpec, ctx: ScheduleContext): LrSchedule {
  const { baseLr, stepsPerEpoch, totalSteps } = ctx;
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

  return { lrAt };
}
