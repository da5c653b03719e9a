import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Optimizer, tfjsEngine } from '@resnet-ts/trainer';
import { onnxTrainingEngine } from '../src/node';
import { batchFor, expectClose, setWeights, tensorsByKey, tinyConvNet, weightsByKey } from './helpers';
import { compareTraces, OPTIONS, runEngine } from './step-traces';

beforeAll(async () => {
  // The reference: the trainer's step on the cpu backend (float32, unfused ops).
  await tf.setBackend('cpu');
});

describe('onnxTrainingEngine step', () => {
  it('gives the tfjs step\'s weights, BatchNorm statistics and Adam moments, for a full batch and then a smaller last batch', async () => {
    // No conv bias: its zero gradient would move it by noise in step 1 and the BN statistics of step 2 with it.
    const model = tinyConvNet(6, 3, 1, { convBias: false });
    const start = await weightsByKey(model);
    const batches = [batchFor(model, 4, 1), batchFor(model, 3, 2)];
    const onnx = await runEngine(onnxTrainingEngine({ intraOpThreads: 1 }), model, { type: 'adam' }, start, batches);
    const tfjs = await runEngine(tfjsEngine, model, { type: 'adam' }, start, batches);
    compareTraces(onnx, tfjs, model, start);
    // The moving statistics moved (momentum 0.99 of Keras): BatchNorm ran in training mode on both.
    expect(onnx.weights.get('conv1_bn/moving_mean')).not.toEqual(start.get('conv1_bn/moving_mean'));
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
    model.dispose();
  });

  it('leaves frozen layers bit-identical, their BatchNorm statistics included', async () => {
    const model = tinyConvNet(6, 3);
    model.getLayer('conv1_conv').trainable = false;
    model.getLayer('conv1_bn').trainable = false;
    const start = await weightsByKey(model);
    const batch = batchFor(model, 4, 3);
    const onnx = await runEngine(onnxTrainingEngine({ intraOpThreads: 1 }), model, { type: 'adam' }, start, [batch]);
    for (const key of ['conv1_conv/kernel', 'conv1_conv/bias', 'conv1_bn/gamma', 'conv1_bn/beta', 'conv1_bn/moving_mean', 'conv1_bn/moving_variance']) {
      expect(onnx.weights.get(key), key).toEqual(start.get(key));
    }
    expect(onnx.weights.get('predictions/kernel')).not.toEqual(start.get('predictions/kernel'));
    expect([...onnx.slots.keys()].some((key) => key.startsWith('conv1_'))).toBe(false);
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });

  it('trains a layer unfrozen between steps from then on (a new graph), as the tfjs step does', async () => {
    const model = tinyConvNet(6, 3, 1, { convBias: false });
    const start = await weightsByKey(model);
    const batches = [batchFor(model, 4, 7), batchFor(model, 4, 8)];
    const run = async (factory: typeof tfjsEngine) => {
      setWeights(model, start);
      model.getLayer('conv1_conv').trainable = false;
      const engine = await factory({ model, optimizer: { type: 'adam' } });
      await engine.step(batches[0], OPTIONS);
      model.getLayer('conv1_conv').trainable = true;
      await engine.step(batches[1], OPTIONS);
      await engine.syncToModel();
      const state = engine.optimizerState();
      const trace = { weights: await weightsByKey(model), slots: await tensorsByKey(state.slots), steps: engine.optimizerSteps };
      tf.dispose(Object.values(state.slots));
      engine.dispose();
      return trace;
    };
    const onnx = await run(onnxTrainingEngine({ intraOpThreads: 1 }));
    const tfjs = await run(tfjsEngine);
    expect(onnx.steps).toBe(2);
    expect(onnx.weights.get('conv1_conv/kernel')).not.toEqual(start.get('conv1_conv/kernel'));
    for (const [key, expected] of tfjs.slots) expectClose(`slot ${key}`, onnx.slots.get(key), expected, { rtol: 1e-3, atol: 1e-4, floor: 1e-8 });
    for (const [key, expected] of tfjs.weights) expectClose(`weight ${key}`, onnx.weights.get(key), expected, { rtol: 1e-4, atol: 1e-4 });
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
    model.dispose();
  });

  it('keeps weights, statistics, moments and the step count when the loss is not finite, and the next step is as if it never ran', async () => {
    const model = tinyConvNet(6, 3);
    const start = await weightsByKey(model);
    const good = batchFor(model, 4, 4);
    const poisoned = { xs: tf.fill(good.xs.shape, Number.NaN) as tf.Tensor4D, ys: good.ys };
    setWeights(model, start);
    const engine = await onnxTrainingEngine({ intraOpThreads: 1 })({ model, optimizer: { type: 'adam' } });
    const warm = await engine.step(good, OPTIONS);
    await engine.syncToModel();
    const afterOne = await weightsByKey(model);
    const bad = await engine.step(poisoned, OPTIONS);
    expect(bad.finite).toBe(false);
    expect(engine.optimizerSteps).toBe(1);
    await engine.syncToModel();
    expect(await weightsByKey(model)).toEqual(afterOne);
    const next = await engine.step(good, OPTIONS);
    await engine.syncToModel();
    const withBadStep = await weightsByKey(model);
    engine.dispose();

    // The same two good steps without the poisoned one in between: bit-identical.
    const clean = await runEngine(onnxTrainingEngine({ intraOpThreads: 1 }), model, { type: 'adam' }, start, [good, good]);
    expect(warm.finite && next.finite).toBe(true);
    expect(next.loss).toBe(clean.results[1].loss);
    expect(withBadStep).toEqual(clean.weights);
    tf.dispose([good.xs, good.ys, poisoned.xs]);
    model.dispose();
  });

  it('loads and returns optimizer state in the trainer\'s format: a tfjs Optimizer continues from it', async () => {
    const model = tinyConvNet(6, 3);
    const batch = batchFor(model, 4, 6);
    const engine = await onnxTrainingEngine({ intraOpThreads: 1 })({ model, optimizer: { type: 'adam' } });
    await engine.step(batch, OPTIONS);
    const state = engine.optimizerState();
    expect(state).toMatchObject({ type: 'adam', iterations: 1 });
    expect(Object.keys(state.slots).sort()).toEqual(model.trainableWeights.flatMap((w) => [`${w.originalName}/m`, `${w.originalName}/v`]).sort());
    const optimizer = new Optimizer({ type: 'adam' });
    optimizer.setState(state);
    expect(optimizer.step).toBe(1);
    expect(() => engine.loadOptimizerState({ ...state, type: 'sgd' })).toThrow(/for "sgd" but the run uses "adam"/);
    engine.loadOptimizerState(state);
    expect(engine.optimizerSteps).toBe(1);
    tf.dispose(Object.values(state.slots));
    optimizer.dispose();
    engine.dispose();
    tf.dispose([batch.xs, batch.ys]);
    model.dispose();
  });
});
