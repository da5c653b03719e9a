import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { fileIO } from '@resnet-ts/zoo/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictJson } from '../src/commands/predict';
import { runCli, runCliJson } from './run-cli';

const signsVal = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/signs/val/0');
const hasSigns = existsSync(signsVal);
if (!hasSigns) console.warn(`predict-labels: ${signsVal} is missing; tests skipped`);

const cpu = ['--backend', 'cpu'];
let dir: string;
let image: string;

/** A tiny classifier that always ranks `winner` first: pooled pixels times zero, plus a bias. */
async function saveConstantClassifier(folder: string, classes: number, winner: number): Promise<void> {
  const model = tf.sequential({
    layers: [tf.layers.globalAveragePooling2d({ inputShape: [8, 8, 3] }), tf.layers.dense({ units: classes, activation: 'softmax' })],
  });
  const bias = Array.from({ length: classes }, (_, i) => (i === winner ? 5 : 0));
  model.layers[1].setWeights([tf.zeros([3, classes]), tf.tensor1d(bias)]);
  await model.save(fileIO(folder));
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'resnet-predict-labels-'));
  await saveConstantClassifier(path.join(dir, 'imagenet-model'), 1000, 1);
  await saveConstantClassifier(path.join(dir, 'three'), 3, 2);
  if (hasSigns) {
    image = path.join(dir, 'hand.jpg');
    copyFileSync(path.join(signsVal, readdirSync(signsVal)[0]), image);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasSigns)('resnet predict --labels', () => {
  it('labels a 1000-class model with the ImageNet classes shipped with zoo, offline', () => {
    const { value } = runCliJson<PredictJson>([...cpu, 'predict', path.join(dir, 'imagenet-model'), image, '--labels', 'imagenet', '--top-k', '1', '--json']);
    expect(value.predictions[0].top).toEqual([{ index: 1, className: 'goldfish', probability: expect.any(Number) }]);
  });

  it('reads the names from a Keras class_index.json', () => {
    const file = path.join(dir, 'class_index.json');
    writeFileSync(file, JSON.stringify({ 0: ['n1', 'ant'], 1: ['n2', 'bee'], 2: ['n3', 'wasp'] }));
    const { value } = runCliJson<PredictJson>([...cpu, 'predict', path.join(dir, 'three'), image, '--labels', file, '--top-k', '1', '--json']);
    expect(value.predictions[0].top[0].className).toBe('wasp');
  });

  it('refuses ImageNet labels for a model without 1000 outputs, naming the flag', () => {
    const imagenet = runCli([...cpu, 'predict', path.join(dir, 'three'), image, '--labels', 'imagenet']);
    expect(imagenet.code).toBe(1);
    expect(imagenet.stderr).toMatch(/--labels imagenet: .*class names: 1000 given for a model with 3 outputs/);
  });

  it('refuses --class-names that do not name every output, naming the flag', () => {
    const listed = runCli([...cpu, 'predict', path.join(dir, 'three'), image, '--class-names', 'a,b']);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(/--class-names: .*class names: 2 given for a model with 3 outputs/);
  });

  it('refuses --labels with --class-names', () => {
    const both = runCli([...cpu, 'predict', path.join(dir, 'three'), image, '--labels', 'imagenet', '--class-names', 'a,b,c']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--labels and --class-names both name the classes; pass one of them');
  });

  it('refuses a labels file that is missing, naming it', () => {
    const missing = path.join(dir, 'nope.json');
    const absent = runCli([...cpu, 'predict', path.join(dir, 'three'), image, '--labels', missing]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain(`--labels: ${missing}: file not found (pass 'imagenet' or a class index JSON`);
  });
});
