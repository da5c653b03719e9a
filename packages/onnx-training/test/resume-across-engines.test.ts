import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayDataset } from '@resnet-ts/data';
import { MemoryCheckpointStore, tfjsEngine, train, type StepEngineFactory, type TrainConfig } from '@resnet-ts/trainer';
import { seededValues } from '../../../test-support/seeded-values';
import { onnxTrainingEngine } from '../src/node';
import { expectClose, setWeights, tinyConvNet, weightsByKey } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 6;
const COUNT = 8;
const data = () =>
  arrayDataset(
    { images: seededValues(COUNT * SIZE * SIZE * 3, 11, 0, 1), shape: [COUNT, SIZE, SIZE, 3], labels: Array.from({ length: COUNT }, (_, i) => i % 3), classNames: ['a', 'b', 'c'], valueScale: 1 },
    { training: true },
  );
// No conv bias: every gradient is a real one, so Adam's steps agree across engines to float noise.
const model = () => tinyConvNet(SIZE, 3, 1, { convBias: false });
const CONFIG: TrainConfig = { batchSize: 4, lr: 1e-2, optimizer: { type: 'adam' }, shuffle: true, monitor: 'loss' };
const onnx = onnxTrainingEngine({ intraOpThreads: 1 });

/** 2 epochs on `second`, the first of them run on `first` and resumed from its `last` checkpoint. */
async function resumedAcross(first: StepEngineFactory, second: StepEngineFactory, start: Map<string, Float32Array>) {
  const store = new MemoryCheckpointStore();
  const a = model();
  setWeights(a, start);
  await train({ ...CONFIG, model: a, train: data(), epochs: 1, store, engine: first });
  const checkpoint = (await store.load('last'))!;
  expect(checkpoint.optimizer.iterations).toBe(2);
  const b = model();
  const result = await train({ ...CONFIG, model: b, train: data(), epochs: 2, store, resumeFrom: checkpoint, engine: second });
  const weights = await weightsByKey(b);
  store.dispose();
  a.dispose();
  b.dispose();
  return { result, weights };
}

async function straight(engine: StepEngineFactory, start: Map<string, Float32Array>) {
  const m = model();
  setWeights(m, start);
  const result = await train({ ...CONFIG, model: m, train: data(), epochs: 2, engine });
  const weights = await weightsByKey(m);
  m.dispose();
  return { result, weights };
}

describe('a run resumes on the other engine', () => {
  const cases: [string, StepEngineFactory, StepEngineFactory][] = [
    ['onnx -> tfjs', onnx, tfjsEngine],
    ['tfjs -> onnx', tfjsEngine, onnx],
  ];
  it.each(cases)('%s: the checkpoint of one continues on the other to the weights of an uninterrupted run', async (_name, first, second) => {
    const initial = model();
    const start = await weightsByKey(initial);
    initial.dispose();
    const reference = await straight(second, start);
    const resumed = await resumedAcross(first, second, start);
    expect(resumed.result.step).toBe(4);
    expect(resumed.result.epochsCompleted).toBe(2);
    for (const [key, expected] of reference.weights) expectClose(key, resumed.weights.get(key), expected, { rtol: 1e-3, atol: 1e-4 });
    // Resuming continued the optimizer (4 steps from `start`), rather than restarting it.
    expect(resumed.weights.get('predictions/kernel')).not.toEqual(start.get('predictions/kernel'));
    expect(resumed.result.history.map((h) => h.loss)[1]).toBeCloseTo(reference.result.history[1].loss, 3);
  });
});

describe('train() on the onnx engine', () => {
  it('leaves the trained weights in the model when the run ends, without a checkpoint store', async () => {
    const initial = model();
    const start = await weightsByKey(initial);
    initial.dispose();
    const reference = await straight(tfjsEngine, start);
    const onnxRun = await straight(onnx, start);
    expect(onnxRun.weights.get('conv1_conv/kernel')).not.toEqual(start.get('conv1_conv/kernel'));
    for (const [key, expected] of reference.weights) expectClose(key, onnxRun.weights.get(key), expected, { rtol: 1e-3, atol: 1e-4 });
  });
});
