import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readOnnxMetadataFile } from '@resnet-ts/onnx/node';
import { createModel, modelCardFor } from '@resnet-ts/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModelAsOnnx } from '../src/onnx';

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

// Prediction from the exported file (same top-k as tfjs) is tested in @resnet-ts/inference.
describe('ONNX export for the CLI', () => {
  it('exports a verified file that carries the model card', async () => {
    const file = path.join(dir, 'resnet18.onnx');
    const card = modelCardFor('resnet18', { inputShape: [32, 32, 3], classes: 3 }, { classNames: ['x', 'y', 'z'], weights: { source: 'trained' } });
    const report = await exportModelAsOnnx(model, file, { foldBn: true }, { card });
    expect(report.output.bytes).toBe(statSync(file).size);
    expect(report.verification?.passed).toBe(true);
    expect(report).toMatchObject({ model: 'resnet18', opset: 17, layout: 'nhwc', foldBatchNorm: true });
    const metadata = await readOnnxMetadataFile(file);
    expect(metadata.inputSize).toEqual([32, 32, 3]);
    expect(metadata.modelCard).toEqual({ card, assumed: false });
    expect(metadata.classNames).toEqual(['x', 'y', 'z']);
  });
});
