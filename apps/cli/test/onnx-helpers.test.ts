import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { predict } from '@resnet-ts/trainer';
import { createModel, modelCardFor } from '@resnet-ts/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxPredictor, exportModelAsOnnx, resolvePredictEngine } from '../src/onnx';

let dir: string;
let model: tf.LayersModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'resnet-onnx-cli-'));
  model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 3 });
});
afterAll(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('resnet predict --engine', () => {
  it('auto and onnx pick onnxruntime when it is installed; tfjs stays tfjs', async () => {
    expect(await resolvePredictEngine('auto')).toBe('onnx');
    expect(await resolvePredictEngine('onnx')).toBe('onnx');
    expect(await resolvePredictEngine('tfjs', 'run/model.json')).toBe('tfjs');
  });

  it('refuses to run an .onnx file on tfjs', async () => {
    await expect(resolvePredictEngine('tfjs', 'model.onnx')).rejects.toThrow(/--engine tfjs cannot run model\.onnx/);
  });
});

describe('ONNX export and prediction for the CLI', () => {
  it('exports a verified file with the model card and ranks images with the same top-k as tfjs', async () => {
    const file = path.join(dir, 'resnet18.onnx');
    const card = modelCardFor('resnet18', { inputShape: [32, 32, 3], classes: 3 }, { classNames: ['x', 'y', 'z'], weights: { source: 'trained' } });
    const report = await exportModelAsOnnx(model, file, { foldBn: true }, { card });
    expect(report.output.bytes).toBe(statSync(file).size);
    expect(report.verification?.passed).toBe(true);
    expect(report).toMatchObject({ model: 'resnet18', opset: 17, layout: 'nhwc', foldBatchNorm: true });

    const predictor = await createOnnxPredictor(file, { threads: 1 });
    try {
      expect(predictor.inputSize).toEqual([32, 32, 3]);
      expect(predictor.metadata.modelCard).toEqual({ card, assumed: false });
      expect(predictor.classNames).toEqual(['x', 'y', 'z']);
      const images = tf.tidy(() => tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 3).dataSync() as Float32Array);
      const onnx = await predictor.predict(images, 2, 2);
      const input = tf.tensor4d(images, [2, 32, 32, 3]);
      const reference = await predict(model, input, { topK: 2, classNames: ['x', 'y', 'z'] });
      input.dispose();
      // The JSON `resnet predict` prints is the same with either engine, up to float rounding.
      expect(onnx.map((top) => top.map((s) => [s.index, s.className]))).toEqual(reference.map((top) => top.map((s) => [s.index, s.className])));
      onnx.flat().forEach((s, i) => expect(s.probability).toBeCloseTo(reference.flat()[i].probability, 5));
    } finally {
      await predictor.dispose();
    }
  });

  it('runs a tfjs model on onnxruntime without a file, labelling with the given class names', async () => {
    const predictor = await createOnnxPredictor(model, { threads: 1, classNames: ['a', 'b', 'c'] });
    try {
      const [prediction] = await predictor.predict(new Float32Array(32 * 32 * 3), 1, 3);
      expect(prediction.map((s) => s.className).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await predictor.dispose();
    }
  });
});
