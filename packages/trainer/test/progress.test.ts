import { describe, expect, it } from 'vitest';
import { loggerCallback } from '../src/callbacks/logger';
import { formatDuration, progressCallback } from '../src/callbacks/progress';
import type { BatchLogs, TrainerContext } from '../src/callbacks/types';

const ctx = {} as TrainerContext;
const begin = { epochs: 2, stepsPerEpoch: 4, totalSteps: 8, initialEpoch: 0, initialStep: 0, batchSize: 2, trainSize: 8 };
const batch = (b: number): BatchLogs => ({ epoch: 0, batch: b, step: b + 1, loss: 1, accuracy: 0.5, lr: 0.001, gradNorm: 1, size: 2 });

describe('progress', () => {
  it('prints plain lines with ETA, images/s, loss and accuracy when not on a terminal', () => {
    let clock = 0;
    const out: string[] = [];
    const cb = progressCallback({ write: (t) => out.push(t), everyBatches: 2, now: () => clock });
    cb.onTrainBegin!(begin, ctx);
    cb.onEpochBegin!(0, ctx);
    for (let b = 0; b < 4; b++) {
      clock += 1000;
      cb.onBatchEnd!(b, batch(b), ctx);
    }
    expect(out).toEqual([
      'epoch 1/2 2/4 ETA 00:02 loss 1.0000 acc 0.5000 lr 1.00e-3 2.0 img/s\n',
      'epoch 1/2 4/4 ETA 00:00 loss 1.0000 acc 0.5000 lr 1.00e-3 2.0 img/s\n',
    ]);
  });

  it('redraws one bar in place on a terminal', () => {
    const out: string[] = [];
    const cb = progressCallback({ write: (t) => out.push(t), tty: true, barWidth: 8, now: () => 0 });
    cb.onTrainBegin!(begin, ctx);
    cb.onEpochBegin!(0, ctx);
    cb.onBatchEnd!(1, batch(1), ctx);
    expect(out[0]).toMatch(/^\repoch 1\/2 2\/4 \[===>\.\.\.\.\] ETA/);
  });

  it('formats durations', () => {
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(NaN)).toBe('--:--');
  });
});

describe('logger callback', () => {
  const epoch = (e: number) => ({ epoch: e, step: (e + 1) * 4, loss: 1 / (e + 1), accuracy: 0.5, lr: 0.01, seconds: 2, imagesPerSecond: 4 });

  it('writes a CSV header once, then one row per epoch with empty cells for absent metrics', async () => {
    const lines: string[] = [];
    const cb = loggerCallback({ format: 'csv', append: (t) => void lines.push(t) });
    await cb.onTrainBegin!(begin, ctx);
    await cb.onEpochEnd!(0, epoch(0), ctx);
    await cb.onEpochEnd!(1, epoch(1), ctx);
    expect(lines).toEqual([
      'epoch,step,loss,accuracy,top5,val_loss,val_accuracy,val_top5,lr,seconds,imagesPerSecond\n',
      '0,4,1,0.5,,,,,0.01,2,4\n',
      '1,8,0.5,0.5,,,,,0.01,2,4\n',
    ]);
  });

  it('writes JSON lines per epoch, and per batch when asked', async () => {
    const lines: string[] = [];
    const cb = loggerCallback({ format: 'jsonl', batches: true, append: (t) => void lines.push(t) });
    await cb.onTrainBegin!({ ...begin, initialEpoch: 1 }, ctx);
    await cb.onBatchEnd!(0, batch(0), ctx);
    await cb.onEpochEnd!(1, epoch(1), ctx);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['batch', 'epoch']);
    expect(JSON.parse(lines[1])).toMatchObject({ epoch: 1, loss: 0.5 });
  });
});
