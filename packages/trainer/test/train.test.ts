import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainerCallback } from '../src/callbacks/types';
import { disposeCheckpoint, MemoryCheckpointStore } from '../src/checkpoint';
import { NonFiniteLossError } from '../src/errors';
import { train } from '../src/train';
import { orderedWeights } from '../src/weights';
import { patternDataset, randomDataset } from './helpers/datasets';
import { tinyConvNet, tinyResNet, weightsOf } from './helpers/models';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('train', () => {
  it('runs epochs, calls every hook in order and frees its tensors', async () => {
    const model = tinyConvNet(8, 3);
    const data = randomDataset(20, 3, 8);
    const events: string[] = [];
    const spy: TrainerCallback = {
      onTrainBegin: (logs) => void events.push(`begin:${logs.stepsPerEpoch}x${logs.epochs}:${logs.valSize}`),
      onEpochBegin: (e) => void events.push(`epoch:${e}`),
      onBatchEnd: (b) => void events.push(`batch:${b}`),
      onEpochEnd: (e, logs) => void events.push(`end:${e}:${logs.val_accuracy !== undefined}`),
      onTrainEnd: (logs) => void events.push(`done:${logs.stopReason}`),
    };
    const before = tf.memory().numTensors;
    const result = await train({ model, train: data, val: data, epochs: 2, batchSize: 8, callbacks: [spy] });
    expect(tf.memory().numTensors).toBe(before);
    expect(events).toEqual([
      'begin:3x2:20', 'epoch:0', 'batch:0', 'batch:1', 'batch:2', 'end:0:true',
      'epoch:1', 'batch:0', 'batch:1', 'batch:2', 'end:1:true', 'done:completed',
    ]);
    expect(result.history).toHaveLength(2);
    expect(result.step).toBe(6);
    expect(result.history[1].loss).toBeGreaterThan(0);
    model.dispose();
  });

  it('updates BatchNorm moving statistics in training steps only', async () => {
    const model = tinyConvNet(8, 3);
    const movingMean = () => model.getLayer('conv1_bn').getWeights()[2].dataSync()[0];
    const initial = movingMean();
    await train({ model, train: randomDataset(8, 3, 8), epochs: 1, batchSize: 8 });
    expect(movingMean()).not.toBe(initial);
    model.dispose();
  });

  it('stops when a callback calls ctx.stop()', async () => {
    const model = tinyConvNet(8, 3);
    const result = await train({
      model,
      train: randomDataset(32, 3, 8),
      epochs: 3,
      batchSize: 8,
      callbacks: [{ onBatchEnd: (b, _logs, ctx) => (b === 1 ? ctx.stop('enough') : undefined) }],
    });
    expect(result.stopReason).toBe('stopped');
    expect(result.message).toBe('enough');
    expect(result.step).toBe(2);
    model.dispose();
  });

  it('names the gradients, not the loss, when only the gradients are not finite', () => {
    // wasm's clip maps NaN to its bound: NaN weights can give a finite cross-entropy (-log 1e-7).
    const error = new NonFiniteLossError(0, 0, 0, 16.118095650958, [], null, NaN);
    expect(error.message).toMatch(/^The gradient norm became NaN \(not a number\), with the loss at 16.12, at epoch 1, batch 1 \(step 1\); training stopped/);
    expect(new NonFiniteLossError(0, 0, 0, NaN, [], null, NaN).message).toMatch(/^Loss became NaN \(not a number\) at epoch 1/);
  });

  it('shows the loss and norm to 4 significant digits, and infinities in words', () => {
    expect(new NonFiniteLossError(0, 0, 0, 0.69314718055994, [], null, Infinity).message).toMatch(/^The gradient norm became infinity, with the loss at 0.6931, at/);
    expect(new NonFiniteLossError(0, 0, 0, -Infinity, [], null, 1).message).toMatch(/^Loss became minus infinity at/);
    expect(new NonFiniteLossError(0, 0, 0, 1.23456789e-9, [], null, NaN).message).toMatch(/with the loss at 1.235e-9,/);
  });

  it('stops on a NaN loss with a clear error and keeps the last good checkpoint', async () => {
    const model = tinyConvNet(8, 3);
    const store = new MemoryCheckpointStore();
    const poison: TrainerCallback = {
      onEpochEnd: (epoch, _logs, ctx) => {
        // Corrupt a weight after the first epoch's checkpoint is due, so the next step's loss is NaN.
        if (epoch === 0) queueMicrotask(() => ctx.model.getLayer('predictions').setWeights([
          tf.fill([4, 3], NaN), tf.zeros([3]),
        ]));
      },
    };
    const error = await train({ model, train: randomDataset(16, 3, 8), epochs: 3, batchSize: 8, store, callbacks: [poison] }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.message).toMatch(/Loss became NaN \(not a number\) at epoch 2, batch 1 \(step 3\).*last good checkpoint \(step 2\) was kept/);
    const last = await store.load('last');
    expect(last!.state.step).toBe(2);
    expect(last!.state.epoch).toBe(1);
    store.dispose();
    model.dispose();
  });

  it('restores the best weights when early stopping triggers', async () => {
    const model = tinyConvNet(8, 3);
    const seen: { loss: number; weights: Float32Array[] }[] = [];
    const result = await train({
      model,
      train: randomDataset(16, 3, 8),
      epochs: 10,
      batchSize: 8,
      lr: 0.5,
      optimizer: { type: 'sgd' },
      earlyStopping: { monitor: 'loss', patience: 1, mode: 'max' },
      // The weights the callback sees at the epoch's end are the live ones, not an EMA's.
      ema: false,
      callbacks: [{ onEpochEnd: async (_e, logs) => void seen.push({ loss: logs.loss, weights: await weightsOf(model) }) }],
    });
    expect(result.stopReason).toBe('early-stopping');
    expect(seen.length).toBeLessThan(10);
    const best = seen.reduce((a, b) => (b.loss > a.loss ? b : a));
    expect(best).not.toBe(seen.at(-1));
    expect(await weightsOf(model)).toEqual(best.weights);
    model.dispose();
  });

  it('gives a stateful callback its state back when the run resumes', async () => {
    const store = new MemoryCheckpointStore();
    const counter = (): TrainerCallback & { batches: number } => ({
      stateKey: 'counter',
      batches: 0,
      stateDict() {
        return { batches: this.batches };
      },
      loadStateDict(state) {
        this.batches = state.batches as number;
      },
      onBatchEnd(_b, _logs, ctx) {
        this.batches += 1;
        if (this.batches === 3 && ctx.lastCheckpointStep === null) ctx.stop('pause');
      },
    });
    const options = { train: randomDataset(32, 3, 8), epochs: 2, batchSize: 8, store };
    const first = counter();
    const model = tinyConvNet(8, 3);
    expect((await train({ ...options, model, callbacks: [first] })).stopReason).toBe('stopped');
    const saved = await store.load('last');
    expect(saved!.state.callbacks.counter).toEqual({ batches: 3 });
    const second = counter();
    const resumed = await train({ ...options, model, callbacks: [second], resumeFrom: saved! });
    disposeCheckpoint(saved!);
    expect(resumed.step).toBe(8);
    expect(second.batches).toBe(8);
    store.dispose();
    model.dispose();
  });

  it('trains only the head when the backbone is frozen, then unfreezes from a prefix', async () => {
    const model = tinyResNet(8, 3);
    const conv1Before = (await weightsOf(model))[0].slice();
    const bnMeanIndex = orderedWeights(model).findIndex((w) => w.originalName === 'conv2_block1_1_bn/moving_mean');
    const bnMeanBefore = (await weightsOf(model))[bnMeanIndex];
    const seen: number[] = [];
    await train({
      model,
      train: randomDataset(8, 3, 8),
      epochs: 2,
      batchSize: 8,
      transfer: { freezeBackbone: true, unfreezeFrom: 'conv3_', unfreezeEpoch: 1 },
      callbacks: [{ onEpochBegin: (_e, ctx) => void seen.push(ctx.model.trainableWeights.length) }],
    });
    expect(seen[0]).toBe(2); // predictions kernel + bias
    // Frozen BatchNorm layers ran in inference mode: their moving statistics did not move.
    expect((await weightsOf(model))[bnMeanIndex]).toEqual(bnMeanBefore);
    expect(seen[1]).toBeGreaterThan(2);
    expect((await weightsOf(model))[0]).toEqual(conv1Before);
    model.dispose();
  });

  it('a small ResNet learns synthetic patterns to >= 90% validation accuracy in 48 steps', async () => {
    const model = tinyResNet(8, 4, 3);
    const result = await train({
      model,
      train: patternDataset(128, 8, 1),
      val: patternDataset(64, 8, 2),
      epochs: 3,
      batchSize: 8,
      lr: 1e-2,
    });
    expect(result.step).toBe(48);
    expect(result.history.at(-1)!.val_accuracy).toBeGreaterThanOrEqual(0.9);
    model.dispose();
  });
});
