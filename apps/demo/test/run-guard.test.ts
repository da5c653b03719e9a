import type { BatchLogs, TrainerContext } from '@resnet-ts/trainer';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BrokenRunError, createRunGuard } from '../src/training/run-guard';

const logs = (loss: number, accuracy: number, gradNorm = 1): BatchLogs => ({ epoch: 0, batch: 0, step: 3, loss, accuracy, lr: 0.001, gradNorm, size: 8 });
const ctx = {} as TrainerContext;

describe('run guard', () => {
  it('lets believable steps through, including a zero loss with full accuracy', async () => {
    await tf.setBackend('cpu');
    const guard = createRunGuard();
    expect(() => guard.callback.onBatchEnd!(0, logs(1.2, 0.25), ctx)).not.toThrow();
    expect(() => guard.callback.onBatchEnd!(0, logs(0, 1), ctx)).not.toThrow();
    guard.dispose();
  });

  it('stops a run that reads back a zero loss with zero accuracy (a backend returning zeros), naming the backend and step', async () => {
    await tf.setBackend('cpu');
    const guard = createRunGuard();
    expect(() => guard.callback.onBatchEnd!(0, logs(0, 0), ctx)).toThrow(BrokenRunError);
    expect(() => guard.callback.onBatchEnd!(0, logs(0, 0), ctx)).toThrow(/Training on cpu went wrong: step 3 read a loss of 0 with 0 % accuracy/);
    guard.dispose();
  });

  it('stops a run whose gradients are all zero under a positive loss, and lets a zero gradient at zero loss through', async () => {
    await tf.setBackend('cpu');
    const guard = createRunGuard();
    expect(() => guard.callback.onBatchEnd!(0, logs(1.1, 0.5, 0), ctx)).toThrow(BrokenRunError);
    expect(() => guard.callback.onBatchEnd!(0, logs(1.1, 0.5, 0), ctx)).toThrow(/Training on cpu went wrong: step 3 computed a loss of 1\.100 but gradients that are all exactly zero/);
    expect(() => guard.callback.onBatchEnd!(0, logs(0, 1, 0), ctx)).not.toThrow();
    expect(() => guard.callback.onBatchEnd!(0, logs(1.1, 0.5, 1e-30), ctx)).not.toThrow();
    guard.dispose();
  });

  it('stops a run whose loss is not finite', async () => {
    await tf.setBackend('cpu');
    const guard = createRunGuard();
    expect(() => guard.callback.onBatchEnd!(0, logs(Number.NaN, 0.5), ctx)).toThrow(/the loss became NaN \(not a number\) at step 3\.$/);
    expect(() => guard.callback.onBatchEnd!(0, logs(Number.POSITIVE_INFINITY, 0.5), ctx)).toThrow(/the loss became infinity at step 3\.$/);
    expect(() => guard.callback.onBatchEnd!(0, logs(Number.NEGATIVE_INFINITY, 0.5), ctx)).toThrow(/the loss became minus infinity at step 3\.$/);
    guard.dispose();
  });
});
