import * as tf from '@tensorflow/tfjs';
import { encodePng } from '@resnet-ts/trainer';
import { createModel, loadKerasWeights, saveKerasWeights, saveSafetensors } from '@resnet-ts/zoo';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConvertReport } from '../src/commands/convert';
import type { PredictJson } from '../src/commands/predict';
import { runCli, runCliJson } from './run-cli';

const cpu = ['--backend', 'cpu'];
const modelFlags = ['--model', 'resnet18', '--input-size', '32', '--classes', '5'];
const happyModel = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/keras/HappyModel.h5');

if (!existsSync(happyModel)) console.warn(`SKIPPING the full-model convert test: ${happyModel} is absent (needs ../shared)`);

let dir: string;
let original: tf.LayersModel;

function writeImage(): string {
  const image = path.join(dir, 'image.png');
  writeFileSync(image, encodePng(new Uint8Array(40 * 40 * 3).map((_, i) => (i * 7) % 256), 40, 40, 3));
  return image;
}

async function expectWeightsOf(file: string) {
  const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5 });
  await loadKerasWeights(model, file);
  const a = original.getWeights();
  const b = model.getWeights();
  for (let i = 0; i < a.length; i += 1) expect(Array.from(b[i].dataSync())).toEqual(Array.from(a[i].dataSync()));
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'resnet-convert-'));
  original = createModel('resnet18', { inputShape: [32, 32, 3], classes: 5 });
  await saveKerasWeights(original, path.join(dir, 'resnet18.h5'));
});
afterAll(() => {
  original.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('resnet convert', () => {
  it('converts a Keras .h5 to a tfjs folder and back without changing a weight', async () => {
    const tfjsDir = path.join(dir, 'resnet18-tfjs');
    const { value } = runCliJson<ConvertReport>([...cpu, 'convert', path.join(dir, 'resnet18.h5'), tfjsDir, ...modelFlags, '--json']);
    expect(value).toMatchObject({ input: { format: 'keras-h5' }, output: { format: 'tfjs' }, model: 'resnet18', skipped: [] });
    expect(readdirSync(tfjsDir)).toContain('model.json');
    const back = path.join(dir, 'back.h5');
    const result = runCli([...cpu, 'convert', tfjsDir, back]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/-> .*back\.h5 \(keras-h5, 1 file, [\d,]+ bytes\)/);
    await expectWeightsOf(back);
  });

  it('needs --model for a weights-only .h5', () => {
    const result = runCli([...cpu, 'convert', path.join(dir, 'resnet18.h5'), path.join(dir, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/holds weights only .*--model <name>/);
  });

  it('names the mismatching layer, and with --skip-mismatch converts the rest', () => {
    const args = [...cpu, 'convert', path.join(dir, 'resnet18.h5'), path.join(dir, 'three'), '--model', 'resnet18', '--input-size', '32', '--classes', '3'];
    const failed = runCli(args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Layer predictions: expected kernel \[512,3\], file has \[512,5\] \(skipMismatch \/ --skip-mismatch to ignore\)/);
    const { value } = runCliJson<ConvertReport>([...args, '--skip-mismatch', '--json']);
    expect(value.skipped).toEqual(['predictions: expected kernel [512,3], file has [512,5]']);
  });

  it('writes quantised tfjs shards with --quantize', () => {
    const { value } = runCliJson<ConvertReport>([...cpu, 'convert', path.join(dir, 'resnet18.h5'), path.join(dir, 'q'), ...modelFlags, '--quantize', 'uint8', '--json']);
    expect(value.output.bytes).toBeLessThan(value.parameters * 1.1);
  });

  it.skipIf(!existsSync(happyModel))('converts a full Keras model file without --model', () => {
    // conv0 7x7x3x64+64, bn0 4x64, conv1 7x7x64x32+32, bn1 4x32, fc 8192x1+1.
    const { value } = runCliJson<ConvertReport>([...cpu, 'convert', happyModel, path.join(dir, 'happy'), '--json']);
    expect(value).toMatchObject({ model: 'HappyModel', layersWithWeights: 5, parameters: 118_433 });
  });

  it('writes a model card into the tfjs folder of a Keras resnet50, so predict normalizes with caffe', async () => {
    const weights = path.join(dir, 'resnet50.h5');
    const keras = createModel('resnet50', { inputShape: [32, 32, 3], classes: 2 });
    await saveKerasWeights(keras, weights);
    keras.dispose();
    const out = path.join(dir, 'resnet50-tfjs');
    const { value } = runCliJson<ConvertReport>([...cpu, 'convert', weights, out, '--model', 'resnet50', '--input-size', '32', '--classes', '2', '--json']);
    const card = {
      format: 'resnet-ts/model-card',
      version: 1,
      architecture: { name: 'resnet50', options: { includeTop: true, classes: 2, classifierActivation: 'softmax', zeroInitResidual: false } },
      inputSize: [32, 32, 3],
      preprocessing: { normalization: 'caffe', cropPct: 0.875, interpolation: 'bilinear' },
      weights: { source: 'keras-h5', path: 'resnet50.h5' },
    };
    expect(value.modelCard).toEqual(card);
    // The saved card also lists the folder's shards with their SHA-256 (checked when it loads).
    const saved = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8'));
    const { shards, ...savedWeights } = saved.userDefinedMetadata.modelCard.weights;
    expect({ ...saved.userDefinedMetadata, modelCard: { ...saved.userDefinedMetadata.modelCard, weights: savedWeights } }).toEqual({ modelCard: card });
    expect(shards.map((s: { path: string }) => s.path)).toEqual(saved.weightsManifest[0].paths);
    expect(shards.every((s: { sha256: string }) => /^[0-9a-f]{64}$/.test(s.sha256))).toBe(true);
    const predicted = runCliJson<PredictJson>([...cpu, 'predict', out, writeImage(), '--engine', 'tfjs', '--json']);
    expect(predicted.value.normalization).toBe('caffe');
    expect(predicted.stderr).not.toMatch(/model card/);
    expect(predicted.value.predictions[0].top.map((s) => s.className).sort()).toEqual(['0', '1']);
  });

  it('writes a card with source safetensors for a torchvision state dict, so predict normalizes with torch mean/std', async () => {
    const weights = path.join(dir, 'resnet18-tv.safetensors');
    const torchvision = createModel('resnet18.tv_in1k', { inputShape: [32, 32, 3], classes: 3 });
    await saveSafetensors(torchvision, weights);
    torchvision.dispose();
    const out = path.join(dir, 'resnet18-tv-tfjs');
    const { value } = runCliJson<ConvertReport>([...cpu, 'convert', weights, out, '--model', 'resnet18.tv_in1k', '--input-size', '32', '--classes', '3', '--json']);
    expect(value.input.format).toBe('safetensors');
    expect(value.modelCard?.weights).toEqual({ source: 'safetensors', path: 'resnet18-tv.safetensors' });
    expect(value.modelCard?.preprocessing.normalization).toBe('torch');
    const predicted = runCliJson<PredictJson>([...cpu, 'predict', out, writeImage(), '--engine', 'tfjs', '--json']);
    expect(predicted.value.normalization).toBe('torch');
    expect(predicted.stderr).not.toMatch(/model card/);
  });

  it.skipIf(!existsSync(happyModel))('writes no card for a full Keras model file, and predict says what it assumes', () => {
    const out = path.join(dir, 'happy-predict');
    expect(runCliJson<ConvertReport>([...cpu, 'convert', happyModel, out, '--json']).value.modelCard).toBeUndefined();
    const predicted = runCliJson<PredictJson>([...cpu, 'predict', out, writeImage(), '--engine', 'tfjs', '--json']);
    expect(predicted.value.normalization).toBe('unit');
    expect(predicted.stderr).toContain(`${out}: no model card; assuming unit normalization and class indices as names`);
  });
});
