import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerCallback } from '../src/callbacks/types';
import { MemoryCheckpointStore } from '../src/checkpoint';
import { emaDecay, emaUpdatesAt } from '../src/ema-decay';
import { WeightEma } from '../src/ema';
import { train } from '../src/train';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet, weightsOf } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('EMA schedule', () => {
  it('updates every step at the decay, or every n steps at decay^n, with timm-style warmup if asked', () => {
    expect([0, 1, 2, 3].map((step) => emaUpdatesAt(step, { decay: 0.9 }))).toEqual([false, true, true, true]);
    expect([1, 2, 3, 4, 8].map((step) => emaUpdatesAt(step, { decay: 0.9, every: 4 }))).toEqual([false, false, false, true, true]);
    expect(emaDecay(4, 1, { decay: 0.9 })).toBe(0.9);
    expect(emaDecay(4, 4, { decay: 0.9, every: 4 })).toBe(0.9 ** 4);
    // Warmup: 1 - (1 + step)^-3/4, capped at the decay.
    expect(emaDecay(1, 1, { decay: 0.99, warmup: true })).toBeCloseTo(1 - 2 ** -0.75, 12);
    expect(emaDecay(100, 1, { decay: 0.99, warmup: true })).toBeCloseTo(1 - 101 ** -0.75, 12);
    expect(emaDecay(464, 1, { decay: 0.99, warmup: true })).toBe(0.99);
    expect(emaDecay(463, 1, { decay: 0.99, warmup: true })).toBeLessThan(0.99);
    expect(emaDecay(8, 4, { decay: 0.99, every: 4, warmup: true })).toBeCloseTo((1 - 9 ** -0.75) ** 4, 12);
  });

  it('folds the weights in only at the steps of the schedule, and catches up before a read', async () => {
    const input = tf.input({ shape: [2] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros' }).apply(input) as tf.SymbolicTensor });
    const ema = new WeightEma(model, { decay: 0.5, every: 2 });
    const average = () => Array.from(Object.values(ema.getWeights())[0].dataSync());
    let expected = 0;
    for (let step = 1; step <= 5; step++) {
      model.layers[1].setWeights([tf.fill([2, 1], step)]);
      ema.update(step);
      if (step % 2 === 0) expected = expected + (step - expected) * 0.75;
    }
    expect(expected).toBe(3.375);
    expect(average()).toEqual([expected, expected]);
    // Step 5 is not an update step: catching up takes it in at 0.5^1, and the update of step 6 then covers one step.
    expect(ema.catchUp(5)).toBe(true);
    expect(ema.catchUp(5)).toBe(false);
    expect(average()).toEqual([4.1875, 4.1875]);
    model.layers[1].setWeights([tf.fill([2, 1], 6)]);
    ema.update(6);
    expect(average()).toEqual([5.09375, 5.09375]);
    expect(() => new WeightEma(model, { decay: 0.5, every: 1.5 })).toThrow(/ema\.every must be a whole number/);
    ema.dispose();
    model.dispose();
  });

  it("leaves a frozen layer's weights out of an update", async () => {
    const input = tf.input({ shape: [2] });
    const first = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: 'zeros', name: 'first' });
    const second = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros', name: 'second' });
    const model = tf.model({ inputs: input, outputs: second.apply(first.apply(input)) as tf.SymbolicTensor });
    const ema = new WeightEma(model, 0.5);
    first.trainable = false;
    // Written behind the average's back: a frozen layer is not read, so its average stays at 0.
    first.setWeights([tf.fill([2, 2], 4)]);
    second.setWeights([tf.fill([2, 1], 4)]);
    ema.update(1);
    const averages = Object.values(ema.getWeights()).map((t) => Array.from(t.dataSync()));
    expect(averages).toEqual([[0, 0, 0, 0], [2, 2]]);
    ema.dispose();
    model.dispose();
  });

  it('a run shorter than the update interval ends with an average of its weights, not its starting ones', async () => {
    // 12 images at batch 4, one epoch: 3 steps, no update step of every: 4; the end catches up over all 3.
    const run = { train: randomDataset(12, 3, 6, 4), epochs: 1, batchSize: 4, lr: 0.05, seed: 2, preciseBnBatches: 0 };
    const [start, raw, averaged] = [tinyConvNet(6, 3), tinyConvNet(6, 3), tinyConvNet(6, 3)];
    await train({ model: raw, ...run, ema: false });
    await train({ model: averaged, ...run, ema: { decay: 0.5, every: 4 } });
    const [w0, w3, ema] = [await weightsOf(start), await weightsOf(raw), await weightsOf(averaged)];
    w0.forEach((initial, i) =>
      initial.forEach((v, j) => expect(ema[i][j]).toBeCloseTo(v + (w3[i][j] - v) * (1 - 0.5 ** 3), 5)),
    );
    expect(ema).not.toEqual(w0);
    for (const m of [start, raw, averaged]) m.dispose();
  });

  it('a run stopped between two updates resumes to the weights of an uninterrupted run', async () => {
    // 12 images at batch 4: 3 steps an epoch; updates at steps 2, 4, 6, 8 and catch-ups at the epoch ends (3, 9).
    const run = { train: randomDataset(12, 3, 6, 4), epochs: 3, batchSize: 4, lr: 0.05, seed: 2, ema: { decay: 0.8, every: 2, warmup: true } };
    const whole = tinyConvNet(6, 3);
    await train({ model: whole, ...run });
    const store = new MemoryCheckpointStore();
    const stopAfterOne: TrainerCallback = { onEpochEnd: (epoch, _logs, ctx) => void (epoch === 0 && ctx.stop('test')) };
    const first = tinyConvNet(6, 3);
    await train({ model: first, ...run, store, callbacks: [stopAfterOne] });
    const resumed = tinyConvNet(6, 3);
    await train({ model: resumed, ...run, resumeFrom: (await store.load('last'))! });
    expect(await weightsOf(resumed)).toEqual(await weightsOf(whole));
    // The schedule matters: every step, without warmup, ends elsewhere.
    const everyStep = tinyConvNet(6, 3);
    await train({ model: everyStep, ...run, ema: { decay: 0.8 } });
    expect(await weightsOf(everyStep)).not.toEqual(await weightsOf(whole));
    for (const m of [whole, first, resumed, everyStep]) m.dispose();
  });
});
