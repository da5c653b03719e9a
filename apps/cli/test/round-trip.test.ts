// One model through every format: a Keras .h5 written here by the zoo's saver -> `resnet train
// --weights x.h5 --skip-mismatch` (a new 4-class head) -> `resnet export` (tfjs folder) -> `resnet
// export --format onnx` (the ONNX conversion) -> `resnet predict` on each. Predictions and the
// preprocessing (the model card's normalization) must survive every step.
import * as tf from '@tensorflow/tfjs';
import { readOnnxMetadataFile } from '@resnet-ts/onnx/node';
import { encodePng } from '@resnet-ts/trainer';
import { createModel, saveKerasWeights } from '@resnet-ts/zoo';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictJson } from '../src/commands/predict';
import { runCliJson, runCliOk } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-round-trip-'));
const inWork = { cwd: work, timeoutMs: 300_000 };
const wasm = ['--backend', 'wasm', '--threads', '1'];
const images = path.join(work, 'images');

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
  // resnet18's registry preprocessing is torch mean/std; the .h5 has no card, so the registry decides.
  const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 6, seed: 3 });
  await saveKerasWeights(model, path.join(work, 'resnet18.h5'));
  model.dispose();
  mkdirSync(images);
  for (let i = 0; i < 3; i++) {
    writeFileSync(path.join(images, `${i}.png`), encodePng(new Uint8Array(32 * 32 * 3).map((_, j) => (j * (5 + 2 * i) + 17 * i) % 256), 32, 32, 3));
  }
  writeFileSync(path.join(work, 'four.json'), JSON.stringify({ data: { kind: 'synthetic', synthetic: { classes: 4, trainCount: 4, valCount: 4 } } }));
});

const cardOf = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8')).userDefinedMetadata.modelCard;
const predict = (model: string, engine: 'tfjs' | 'onnx') =>
  runCliJson<PredictJson>([...wasm, 'predict', model, images, '--engine', engine, '--top-k', '4', '--json'], {}, inWork).value;

describe('Keras .h5 -> train --weights -> export -> ONNX -> predict', () => {
  it('keeps top-1, probabilities (within 1e-4) and the normalization at every step', async () => {
    const run = path.join(work, 'run');
    const trained = runCliOk(
      [...wasm, 'train', '--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--steps-per-epoch', '1', '--epochs', '1',
        '--config', 'four.json', '--weights', 'resnet18.h5', '--skip-mismatch', '--out', run],
      {},
      inWork,
    );
    expect(trained.stderr).toMatch(/starting weights .*resnet18\.h5 \(keras-h5\): \d+ layers loaded, skipped predictions .*normalization torch from resnet18's registry default/);
    expect(cardOf(path.join(run, 'model'))).toMatchObject({ preprocessing: { normalization: 'torch' }, weights: { source: 'trained', start: { kind: 'keras-h5', skipped: ['predictions'] } } });

    const folder = path.join(work, 'exported');
    runCliOk([...wasm, 'export', run, '--out', folder], {}, inWork);
    const onnxFile = path.join(work, 'model.onnx');
    runCliJson([...wasm, 'export', folder, '--format', 'onnx', '--out', onnxFile, '--json'], {}, inWork);
    expect(cardOf(folder).preprocessing.normalization).toBe('torch');
    expect((await readOnnxMetadataFile(onnxFile)).modelCard?.card.preprocessing.normalization).toBe('torch');

    const reference = predict(run, 'tfjs');
    expect(reference.images).toBe(3);
    for (const result of [predict(folder, 'tfjs'), predict(onnxFile, 'onnx')]) {
      expect(result.normalization).toBe('torch');
      result.predictions.forEach((p, i) => {
        const want = reference.predictions[i];
        expect(path.basename(p.file)).toBe(path.basename(want.file));
        expect(p.top[0].index).toBe(want.top[0].index);
        p.top.forEach((score, k) => {
          expect(score.className).toBe(want.top[k].className);
          expect(Math.abs(score.probability - want.top[k].probability)).toBeLessThan(1e-4);
        });
      });
    }
  });
});
