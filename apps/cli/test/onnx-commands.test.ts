import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { readOnnxMetadataFile } from '@resnet-ts/onnx/node';
import { createModel } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictJson } from '../src/commands/predict';
import type { OnnxExportReport } from '../src/onnx';
import { runCli, runCliJson } from './run-cli';

const signsVal = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/signs/val');
const hasSigns = existsSync(signsVal);
if (!hasSigns) console.warn(`onnx-commands: ${signsVal} is missing; predict tests skipped`);

const cpu = ['--backend', 'cpu'];
const classNames = ['zero', 'one', 'two', 'three', 'four', 'five'];
let dir: string;
let modelDir: string;
let imagesDir: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'resnet-onnx-commands-'));
  modelDir = path.join(dir, 'model');
  const model = createModel('resnet18', { inputShape: [32, 32, 3], classes: 6 });
  // resnet-ts 0.1 metadata (no model card): export upgrades it to a card.
  model.setUserDefinedMetadata({ classNames, normalization: 'tf' });
  await model.save(fileIO(modelDir));
  model.dispose();
  imagesDir = path.join(dir, 'images');
  mkdirSync(imagesDir);
  if (hasSigns) {
    for (const label of ['0', '3']) {
      for (const file of readdirSync(path.join(signsVal, label)).slice(0, 2)) copyFileSync(path.join(signsVal, label, file), path.join(imagesDir, file));
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resnet export --format onnx', () => {
  it('writes a verified ONNX file and reports it', () => {
    const out = path.join(dir, 'model.onnx');
    const report = runCliJson<OnnxExportReport>([...cpu, 'export', modelDir, '--format', 'onnx', '--fold-bn', '--out', out, '--json']).value;
    expect(existsSync(out)).toBe(true);
    expect(report).toMatchObject({ opset: 17, layout: 'nhwc', foldBatchNorm: true, output: { path: out, format: 'onnx' } });
    expect(report.verification?.passed).toBe(true);
  });

  it('writes the model card into the tfjs folder and the ONNX file alike, and predict reads it from both', async () => {
    const tfjsOut = path.join(dir, 'carded');
    const onnxOut = path.join(dir, 'carded.onnx');
    const exported = runCli([...cpu, 'export', modelDir, '--out', tfjsOut]);
    expect(exported.code, exported.stderr).toBe(0);
    const modelJson = JSON.parse(readFileSync(path.join(tfjsOut, 'model.json'), 'utf8'));
    const saved = modelJson.userDefinedMetadata.modelCard;
    // The folder's card lists its shard checksums; they describe those files, so the ONNX file's card has none.
    const { shards, ...savedWeights } = saved.weights;
    expect(shards.map((s: { path: string }) => s.path)).toEqual(modelJson.weightsManifest[0].paths);
    const card = { ...saved, weights: savedWeights };
    expect(card).toMatchObject({ architecture: { name: 'resnet18' }, inputSize: [32, 32, 3], classNames, preprocessing: { normalization: 'tf' }, weights: { source: 'unknown' } });
    runCliJson([...cpu, 'export', tfjsOut, '--format', 'onnx', '--no-verify', '--out', onnxOut, '--json']);
    expect((await readOnnxMetadataFile(onnxOut)).modelCard).toEqual({ card, assumed: false });
    if (!hasSigns) return;
    for (const model of [tfjsOut, onnxOut]) {
      const predicted = runCliJson<PredictJson>([...cpu, 'predict', model, imagesDir, '--top-k', '1', '--json']);
      expect(predicted.value.normalization).toBe('tf');
      expect(predicted.stderr).not.toMatch(/model card/);
      expect(classNames).toContain(predicted.value.predictions[0].top[0].className);
    }
  });

  it('refuses ONNX flags with the tfjs format (usage error)', () => {
    const result = runCli([...cpu, 'export', modelDir, '--layout', 'nchw', '--out', path.join(dir, 'tfjs-out')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--layout apply only with --format onnx/);
  });
});

describe.skipIf(!hasSigns)('resnet predict --engine', () => {
  it('prints the same --json predictions with onnx (from the tfjs folder and from the .onnx file) as with tfjs', () => {
    const onnxFile = path.join(dir, 'predict.onnx');
    runCliJson([...cpu, 'export', modelDir, '--format', 'onnx', '--out', onnxFile, '--json']);
    const tfjs = runCliJson<PredictJson>([...cpu, 'predict', modelDir, imagesDir, '--engine', 'tfjs', '--top-k', '3', '--json']).value;
    const fromFolder = runCliJson<PredictJson>([...cpu, 'predict', modelDir, imagesDir, '--engine', 'onnx', '--top-k', '3', '--json']).value;
    // Batches of 3 over 4 images: a full batch and a partial one.
    const fromFile = runCliJson<PredictJson>(['predict', onnxFile, imagesDir, '--engine', 'auto', '--top-k', '3', '--batch-size', '3', '--json']).value;
    expect(tfjs.images).toBe(4);
    for (const onnx of [fromFolder, fromFile]) {
      expect(Object.keys(onnx).sort()).toEqual(Object.keys(tfjs).sort());
      expect(onnx.predictions.map((p) => [p.file, p.top.map((s) => [s.index, s.className])])).toEqual(
        tfjs.predictions.map((p) => [p.file, p.top.map((s) => [s.index, s.className])]),
      );
      onnx.predictions.forEach((p, i) => p.top.forEach((s, k) => expect(s.probability).toBeCloseTo(tfjs.predictions[i].top[k].probability, 4)));
    }
    expect(fromFile.model).toBe(onnxFile);
  });

  it('names a file that is not ONNX, and an image that does not decode', () => {
    const broken = path.join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'model.onnx'), 'plain text, not protobuf');
    writeFileSync(path.join(broken, 'bad.jpg'), Buffer.alloc(64, 0x42));
    const notOnnx = runCli(['predict', path.join(broken, 'model.onnx'), imagesDir, '--engine', 'onnx']);
    expect(notOnnx.code).toBe(1);
    expect(notOnnx.stderr).toMatch(/broken\/model\.onnx: not an ONNX model file/);
    copyFileSync(path.join(dir, 'predict.onnx'), path.join(broken, 'good.onnx'));
    const badImage = runCli(['predict', path.join(broken, 'good.onnx'), imagesDir, path.join(broken, 'bad.jpg'), '--engine', 'onnx', '--batch-size', '2']);
    expect(badImage.code).toBe(1);
    expect(badImage.stderr).toMatch(/broken\/bad\.jpg: not a readable image/);
  });

  it('refuses to run an .onnx file on tfjs', () => {
    const result = runCli(['predict', path.join(dir, 'predict.onnx'), imagesDir, '--engine', 'tfjs']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--engine tfjs cannot run .*predict\.onnx/);
  });
});
