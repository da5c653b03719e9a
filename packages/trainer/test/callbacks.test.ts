import { describe, expect, it } from 'vitest';
import { MetricMonitor, monitorMode } from '../src/callbacks/monitor';
import { ReduceLrOnPlateau } from '../src/callbacks/reduce-lr-on-plateau';
import type { EpochLogs, TrainerContext } from '../src/callbacks/types';

const logs = (values: Partial<EpochLogs>) => ({ epoch: 0, step: 0, loss: 1, accuracy: 0, lr: 0.1, seconds: 0, imagesPerSecond: 0, ...values });
const context = () => ({ lrScale: 1 }) as TrainerContext;

describe('metric monitoring', () => {
  it('one rule decides min or max for every metric name', () => {
    expect(['val_accuracy', 'val_top5', 'top5', 'val_f1', 'precision', 'recall'].map(monitorMode)).toEqual(Array(6).fill('max'));
    expect(['val_loss', 'loss'].map(monitorMode)).toEqual(['min', 'min']);
  });

  it('reads val_ metrics, falling back to the training metric without validation', () => {
    const m = new MetricMonitor('val_loss', undefined);
    expect(m.read({ loss: 2 })).toBe(2);
    expect(m.update(0, { loss: 2 })).toBe(true);
    expect(m.update(1, { loss: 3 })).toBe(false);
    expect(m.state).toEqual({ best: 2, bestEpoch: 0, wait: 1 });
  });
});

describe('ReduceLrOnPlateau', () => {
  it('divides the rate after `patience` epochs without improvement, floors at minLr, and its state round-trips', () => {
    const options = { factor: 0.5, patience: 2, minLr: 0.02 };
    const plateau = new ReduceLrOnPlateau(options, 0.1);
    const ctx = context();
    plateau.onEpochEnd(0, logs({ val_loss: 1 }), ctx);
    plateau.onEpochEnd(1, logs({ val_loss: 1 }), ctx);
    expect(ctx.lrScale).toBe(1);
    plateau.onEpochEnd(2, logs({ val_loss: 1 }), ctx);
    expect(0.1 * ctx.lrScale).toBeCloseTo(0.05);
    const restored = new ReduceLrOnPlateau(options, 0.1);
    restored.loadStateDict(structuredClone(plateau.stateDict()));
    const resumed = context();
    restored.onTrainBegin(undefined, resumed);
    expect(0.1 * resumed.lrScale).toBeCloseTo(0.05);
    for (let i = 3; i < 13; i++) plateau.onEpochEnd(i, logs({ val_loss: 1 }), ctx);
    expect(0.1 * ctx.lrScale).toBeCloseTo(0.02);
  });

  it('on val_top5 it keeps the rate while top-5 rises, and cuts it when top-5 stalls', () => {
    const plateau = new ReduceLrOnPlateau({ monitor: 'val_top5', patience: 1 }, 0.1);
    const ctx = context();
    [0.2, 0.4, 0.6, 0.8].forEach((top5, epoch) => plateau.onEpochEnd(epoch, logs({ val_top5: top5 }), ctx));
    expect(ctx.lrScale).toBe(1);
    plateau.onEpochEnd(4, logs({ val_top5: 0.7 }), ctx);
    expect(ctx.lrScale).toBeCloseTo(0.1);
  });
});
