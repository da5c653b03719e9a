import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { initNodeWasmBackend } from '@resnet-ts/kernels/node';
import { tfjsEngine } from '@resnet-ts/trainer';
import { createModel } from '@resnet-ts/zoo';
import { onnxTrainingEngine } from '../src/node';
import { batchFor, weightsByKey } from './helpers';
import { compareTraces, OPTIONS, runEngine } from './step-traces';

beforeAll(async () => {
  // The reference step on wasm with the training kernels: float32 like the cpu backend, but a
  // resnet18 step takes a second there rather than a minute and a half.
  await initNodeWasmBackend({ threads: 1 });
});

describe('onnxTrainingEngine on resnet18', () => {
  it('matches the tfjs step at 32x32, batch 4, Adam with weight decay, clip norm and label smoothing', async () => {
    const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 4, seed: 3 });
    const start = await weightsByKey(model);
    const batches = [batchFor(model, 4, 5)];
    const options = { ...OPTIONS, lr: 1e-3, weightDecay: 0.05, clipNorm: 0.5, labelSmoothing: 0.1 };
    const onnx = await runEngine(onnxTrainingEngine({ intraOpThreads: 2 }), model, { type: 'adam' }, start, batches, options);
    const tfjs = await runEngine(tfjsEngine, model, { type: 'adam' }, start, batches, options);
    // 18 layers of float32 backprop through BatchNorm over 4 images (1x1 in the last stage), summed
    // in different orders: elements differ by up to ~1e-4 of the tensor's largest.
    compareTraces(onnx, tfjs, model, start, 1e-3);
    tf.dispose(batches.flatMap((b) => [b.xs, b.ys]));
    model.dispose();
  });
});
