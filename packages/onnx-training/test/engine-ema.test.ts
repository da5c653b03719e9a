import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayDataset } from '@resnet-ts/data';
import { MemoryCheckpointStore, train, type StepEngineFactory, type TrainerCallback } from '@resnet-ts/trainer';
import { seededValues } from '../../../test-support/seeded-values';
import { onnxTrainingEngine } from '../src/node';
import { expectClose, tinyConvNet, weightsByKey } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyDataset(training = true, seed = 21) {
  const images = Uint8Array.from(seededValues(12 * 6 * 6 * 3, seed), (v) => Math.round((v + 1) * 127));
  const labels = Array.from({ length: 12 }, (_, i) => i % 3);
  return arrayDataset({ images, shape: [12, 6, 6, 3], labels, classNames: ['a', 'b', 'c'] }, { training, imageSize: 6, seed: 4 });
}

const onnx = onnxTrainingEngine({ intraOpThreads: 1 });
/** The same engine without its own weight average: EMA then goes through the tfjs model after every step. */
const withoutAverage: StepEngineFactory = async (options) => {
  const engine = await onnx(options);
  return new Proxy(engine, { get: (target, key) => (key === 'weightAverage' ? undefined : Reflect.get(target, key)) });
};
const plain = { epochs: 3, batchSize: 4, lr: 0.05, ema: { decay: 0.7 }, seed: 2 } as const;
// 3 steps an epoch: updates at steps 2, 4, 6, 8, so the stop after the first epoch falls between two.
const scheduled = { ...plain, ema: { decay: 0.7, every: 2, warmup: true } } as const;

describe.each([
  ['every step', plain],
  ['every 2 steps with warmup', scheduled],
])('weight EMA on the onnxruntime engine (%s)', (_name, run) => {
  it("averages on the engine's own buffers: the same EMA weights as averaging the tfjs model after every step", async () => {
    const onEngine = tinyConvNet(6, 3);
    const used: boolean[] = [];
    const spying: StepEngineFactory = async (options) => {
      const engine = await onnx(options);
      const original = engine.weightAverage!.bind(engine);
      engine.weightAverage = (model) => {
        const average = original(model);
        used.push(average !== undefined);
        return average;
      };
      return engine;
    };
    const tensors = tf.memory().numTensors;
    await train({ model: onEngine, train: tinyDataset(), ...run, engine: spying });
    expect(used).toEqual([true]);
    // Reading the average into the model (validation, checkpoints, the end) leaves no tensor behind.
    expect(tf.memory().numTensors).toBe(tensors);
    const viaModel = tinyConvNet(6, 3);
    await train({ model: viaModel, train: tinyDataset(), ...run, engine: withoutAverage });
    const [a, b] = [await weightsByKey(onEngine), await weightsByKey(viaModel)];
    const initial = await weightsByKey(tinyConvNet(6, 3));
    for (const [key, values] of a) {
      expect(values, key).not.toEqual(initial.get(key));
      expectClose(key, values, b.get(key)!, { rtol: 1e-5, atol: 1e-6 });
    }
    for (const m of [onEngine, viaModel]) m.dispose();
  });

  it('validates the average swapped in on the engine: the same validation metrics and best checkpoint as through the model', async () => {
    const withVal = { ...run, val: tinyDataset(false, 22) };
    const [a, b] = [tinyConvNet(6, 3), tinyConvNet(6, 3)];
    const [storeA, storeB] = [new MemoryCheckpointStore(), new MemoryCheckpointStore()];
    const onEngine = await train({ model: a, train: tinyDataset(), ...withVal, engine: onnx, store: storeA });
    const viaModel = await train({ model: b, train: tinyDataset(), ...withVal, engine: withoutAverage, store: storeB });
    const metrics = (h: typeof onEngine.history) => h.map((e) => [e.val_loss, e.val_accuracy]);
    expect(metrics(onEngine.history).flat().every(Number.isFinite)).toBe(true);
    metrics(onEngine.history).forEach(([loss, accuracy], epoch) => {
      expect(loss, `epoch ${epoch}`).toBeCloseTo(metrics(viaModel.history)[epoch][0]!, 5);
      expect(accuracy).toBe(metrics(viaModel.history)[epoch][1]);
    });
    const [bestA, bestB] = [(await storeA.load('best'))!, (await storeB.load('best'))!];
    expect(bestA.state.epoch).toBe(bestB.state.epoch);
    const weights = (c: typeof bestA) => new Float32Array(tf.io.concatenateArrayBuffers([c.model.weightData!].flat()));
    expectClose('best checkpoint', weights(bestA), weights(bestB), { rtol: 1e-5, atol: 1e-6 });
    // The average itself (BatchNorm statistics included) is untouched by the precise BN of a validation window.
    const [emaA, emaB] = [(await storeA.load('last'))!.tensors.ema, (await storeB.load('last'))!.tensors.ema];
    for (const [key, tensor] of Object.entries(emaB)) expectClose(`ema ${key}`, emaA[key].dataSync() as Float32Array, tensor.dataSync() as Float32Array, { rtol: 1e-5, atol: 1e-6 });
    for (const m of [a, b]) m.dispose();
  });

  it('resumes the engine-kept average from a checkpoint: the same weights as an uninterrupted run', async () => {
    const whole = tinyConvNet(6, 3);
    await train({ model: whole, train: tinyDataset(), ...run, engine: onnx });
    const store = new MemoryCheckpointStore();
    const stopAfterOne: TrainerCallback = { onEpochEnd: (epoch, _logs, ctx) => void (epoch === 0 && ctx.stop('test')) };
    const first = tinyConvNet(6, 3);
    await train({ model: first, train: tinyDataset(), ...run, engine: onnx, store, callbacks: [stopAfterOne] });
    const resumed = tinyConvNet(6, 3);
    await train({ model: resumed, train: tinyDataset(), ...run, engine: onnx, resumeFrom: (await store.load('last'))! });
    const [a, b] = [await weightsByKey(whole), await weightsByKey(resumed)];
    for (const [key, values] of a) expect(b.get(key), key).toEqual(values);
    for (const m of [whole, first, resumed]) m.dispose();
  });
});
