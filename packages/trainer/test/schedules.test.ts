import { describe, expect, it } from 'vitest';
import { createSchedule, listSchedules, registerSchedule, type ScheduleDefinition } from '../src/schedules';

declare module '../src/schedules' {
  interface CustomScheduleSpecs {
    linear: { endLr: number };
  }
}

const ctx = { baseLr: 0.1, stepsPerEpoch: 10, totalSteps: 100 };

describe('learning-rate schedules', () => {
  it('constant stays at the base rate', () => {
    const s = createSchedule({ type: 'constant' }, ctx);
    expect([0, 50, 99].map((t) => s.lrAt(t))).toEqual([0.1, 0.1, 0.1]);
  });

  it('step multiplies by gamma every N epochs', () => {
    const s = createSchedule({ type: 'step', everyEpochs: 3, gamma: 0.5 }, ctx);
    expect(s.lrAt(29)).toBeCloseTo(0.1);
    expect(s.lrAt(30)).toBeCloseTo(0.05);
    expect(s.lrAt(60)).toBeCloseTo(0.025);
  });

  it('cosine warms up linearly, peaks at the base rate and ends at minLr', () => {
    const s = createSchedule({ type: 'cosine', warmupEpochs: 1, minLr: 0.001 }, ctx);
    expect(s.lrAt(0)).toBeCloseTo(0.01);
    expect(s.lrAt(4)).toBeCloseTo(0.05);
    expect(s.lrAt(10)).toBeCloseTo(0.1);
    expect(s.lrAt(99)).toBeCloseTo(0.001);
    // Halfway through the decay: the mean of base and min.
    expect(s.lrAt(10 + 89 / 2)).toBeCloseTo((0.1 + 0.001) / 2);
  });

  it('one-cycle rises from base/div to base, then anneals to base/div/finalDiv', () => {
    const s = createSchedule({ type: 'one-cycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 }, ctx);
    expect(s.lrAt(0)).toBeCloseTo(0.004);
    expect(s.lrAt(29)).toBeCloseTo(0.1);
    expect(s.lrAt(99)).toBeCloseTo(0.004 / 1e4, 8);
    for (let t = 1; t <= 29; t++) expect(s.lrAt(t)).toBeGreaterThan(s.lrAt(t - 1));
    for (let t = 30; t < 100; t++) expect(s.lrAt(t)).toBeLessThan(s.lrAt(t - 1));
  });

  it('plateau is the base rate: ReduceLrOnPlateau (a callback) scales it', () => {
    const s = createSchedule({ type: 'plateau', factor: 0.5 }, ctx);
    expect([s.lrAt(0), s.lrAt(99)]).toEqual([0.1, 0.1]);
  });

  it('lists the built-in schedules; a registered one is created by name', () => {
    expect(listSchedules()).toEqual(['constant', 'step', 'cosine', 'one-cycle', 'plateau']);
    const linear: ScheduleDefinition<{ type: 'linear'; endLr: number }> = {
      name: 'linear',
      create: (spec, { baseLr, totalSteps }) => ({ lrAt: (step) => baseLr + ((spec.endLr - baseLr) * step) / (totalSteps - 1) }),
    };
    registerSchedule(linear);
    expect(listSchedules()).toContain('linear');
    const s = createSchedule({ type: 'linear', endLr: 0.001 }, ctx);
    expect(s.lrAt(0)).toBeCloseTo(0.1);
    expect(s.lrAt(99)).toBeCloseTo(0.001);
  });

  it('names the problem for bad specs', () => {
    expect(() => createSchedule({ type: 'nope' } as never, ctx)).toThrow(
      /Unknown schedule "nope": registered schedules are constant, step, cosine, one-cycle, plateau/,
    );
    expect(() => createSchedule({ type: 'step', everyEpochs: 0 }, ctx)).toThrow(/everyEpochs must be > 0/);
  });
});
