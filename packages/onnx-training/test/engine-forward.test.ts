import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayDataset } from '@resnet-ts/data';
import { evaluate, recalibrateBatchNorm, train, type StepEngine } from '@resnet-ts/trainer';
import { seededValues } from '../../../test-support/seeded-values';
import { onnxTrainingEngine } from '../src/node';
import { batchFor, expectClose, setWeights, tinyConvNet, weightsByKey } from './helpers';
import { OPTIONS } from './step-traces';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 10 seeded 6x6 images of 3 classes: batches of 4 leave a short last batch. */
function tinyDataset(training: boolean) {
  const images = Uint8Array.from(seededValues(10 * 6 * 6 * 3, 11), (v) => Math.round((v + 1) * 127));
  const labels = Array.from({ length: 10 }, (_, i) => i % 3);
  return arrayDataset({ images, shape: [10, 6, 6, 3], labels, classNames: ['a', 'b', 'c'] }, { training, imageSize: 6, seed: 3 });
}

/** An engine one step in: moving statistics away from their initial values, so inference and training mode differ. */
async function engineAfterOneStep(model: tf.LayersModel): Promise<StepEngine> {
  const engine = await onnxTrainingEngine({ intraOpThreads: 1 })({ model, optimizer: { type: 'adam' } });
  const batch = batchFor(model, 4, 5);
  await engine.step(batch, { ...OPTIONS, lr: 0.05 });
  tf.dispose([batch.xs, batch.ys]);
  return engine;
}

describe('onnxTrainingEngine forward passes', () => {
  it('evaluates on its own weights as the tfjs model does after a sync, a short last batch included', async () => {
    const model = tinyConvNet(6, 3);
    const engine = await engineAfterOneStep(model);
    const val = tinyDataset(false);
    const onnx = await engine.evaluate(val, { batchSize: 4 });
    await engine.syncToModel();
    const tfjs = await evaluate(model, val, { batchSize: 4 });
    expect(onnx.count).toBe(10);
    expect(onnx.accuracy).toBe(tfjs.accuracy);
    expect(onnx.confusion).toEqual(tfjs.confusion);
    expect(onnx.loss).toBeCloseTo(tfjs.loss, 5);
    engine.dispose();
    model.dispose();
  });

  it('evaluates weights a callback wrote into the model (EMA) once it syncs them in', async () => {
    const model = tinyConvNet(6, 3);
    const engine = await engineAfterOneStep(model);
    const val = tinyDataset(false);
    const before = await engine.evaluate(val, { batchSize: 4 });
    await engine.syncToModel();
    const swapped = await weightsByKey(model);
    swapped.set('predictions/kernel', swapped.get('predictions/kernel')!.map((v) => -v));
    setWeights(model, swapped);
    await engine.syncFromModel();
    const after = await engine.evaluate(val, { batchSize: 4 });
    const tfjs = await evaluate(model, val, { batchSize: 4 });
    expect(after.loss).not.toBeCloseTo(before.loss, 3);
    expect(after.loss).toBeCloseTo(tfjs.loss, 5);
    engine.dispose();
    model.dispose();
  });

  it("evaluates the final model at the end of train() (evaluateAtEnd) on the run's engine: the averaged (EMA) weights it ends with, as tfjs would", async () => {
    const model = tinyConvNet(6, 3);
    const val = tinyDataset(false);
    const result = await train({
      model,
      train: tinyDataset(true),
      epochs: 2,
      batchSize: 4,
      lr: 0.05,
      ema: { decay: 0.5 },
      engine: onnxTrainingEngine({ intraOpThreads: 1 }),
      evaluateAtEnd: { data: val, options: { batchSize: 4 } },
    });
    const tfjs = await evaluate(model, val, { batchSize: 4, classNames: result.classNames });
    expect(result.evaluation!.count).toBe(10);
    expect(result.evaluation!.confusion).toEqual(tfjs.confusion);
    expect(result.evaluation!.loss).toBeCloseTo(tfjs.loss, 5);
    model.dispose();
  });

  it('recalibrates BatchNorm (precise BN) as the tfjs path does, leaving frozen layers and every other weight alone', async () => {
    const model = tinyConvNet(6, 3);
    const engine = await engineAfterOneStep(model);
    await engine.syncToModel();
    const start = await weightsByKey(model);
    const train = tinyDataset(true);
    const options = { batches: 3, batchSize: 4, epoch: 2 };
    expect(await engine.recalibrateBatchNorm(train, options)).toBe(3);
    await engine.syncToModel();
    const onnx = await weightsByKey(model);
    setWeights(model, start);
    expect(await recalibrateBatchNorm(model, train, options)).toBe(3);
    const tfjs = await weightsByKey(model);
    for (const key of ['conv1_bn/moving_mean', 'conv1_bn/moving_variance']) {
      expect(onnx.get(key), key).not.toEqual(start.get(key));
      expectClose(key, onnx.get(key), tfjs.get(key)!, { rtol: 1e-5, atol: 1e-6 });
    }
    for (const [key, value] of start) if (!key.includes('moving_')) expect(onnx.get(key), key).toEqual(value);

    // A frozen BatchNorm keeps its statistics; with none left to recalibrate, no batch is read.
    model.getLayer('conv1_bn').trainable = false;
    setWeights(model, start);
    await engine.syncFromModel();
    expect(await engine.recalibrateBatchNorm(train, options)).toBe(0);
    await engine.syncToModel();
    expect((await weightsByKey(model)).get('conv1_bn/moving_mean')).toEqual(start.get('conv1_bn/moving_mean'));
    engine.dispose();
    model.dispose();
  });
});
