import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeModelCard, type ModelCard } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const cpu = ['--backend', 'cpu'];
let dir: string;
let goodModel: string;
let image: string;

const card: ModelCard = {
  format: 'resnet-ts/model-card',
  version: 1,
  architecture: { name: 'tiny' },
  inputSize: [32, 32, 3],
  classNames: ['a', 'b'],
  preprocessing: { normalization: 'unit', cropPct: 1, interpolation: 'bilinear' },
  weights: { source: 'random' },
};

/** A copy of the good model folder with its model.json edited (or replaced by `text`). */
function brokenModel(name: string, edit: (json: any) => void | string): string {
  const folder = path.join(dir, name);
  cpSync(goodModel, folder, { recursive: true });
  const json = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'));
  const text = edit(json);
  writeFileSync(path.join(folder, 'model.json'), typeof text === 'string' ? text : JSON.stringify(json));
  return folder;
}

/** A command that must fail with one clear line naming `message`, and print no predictions. */
function expectRefused(args: string[], message: string): void {
  const result = runCli([...cpu, ...args]);
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).toContain(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).toBe('');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'resnet-model-file-errors-'));
  const model = tf.sequential({
    name: 'tiny',
    layers: [
      tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 4, kernelSize: 3, name: 'conv' }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
      tf.layers.dense({ units: 2, activation: 'softmax', name: 'predictions' }),
    ],
  });
  writeModelCard(model, card);
  goodModel = path.join(dir, 'good');
  await model.save(fileIO(goodModel, { shardBytes: 128 }));
  model.dispose();
  // predict refuses the model before it decodes any image, so these bytes are never read.
  image = path.join(dir, 'image.png');
  writeFileSync(image, 'not decoded');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad model files end in one clear error naming the file', () => {
  it.each([
    ['predict', (model: string) => ['predict', model, '', '--engine', 'tfjs']],
    ['convert', (model: string) => ['convert', model, path.join(dir, 'converted.h5')]],
  ])('%s refuses a model.json without its weights manifest instead of using random weights', (_command, args) => {
    const model = brokenModel(`no-manifest-${_command}`, (json) => void delete json.weightsManifest);
    expectRefused(args(model).map((a) => a || image), `${path.join(model, 'model.json')}: no "weightsManifest"`);
  });

  it('predict refuses a manifest listing one shard twice', () => {
    const model = brokenModel('twice', (json) => void (json.weightsManifest[0].paths[1] = json.weightsManifest[0].paths[0]));
    expectRefused(['predict', model, image, '--engine', 'tfjs'], 'shard group1-shard1of');
  });

  it('predict refuses a shard whose bytes differ from the checksum in the model card, naming the shard', () => {
    const model = brokenModel('corrupt', () => undefined);
    const shard = path.join(model, 'group1-shard2of4.bin');
    const bytes = readFileSync(shard);
    bytes[0] ^= 1;
    writeFileSync(shard, bytes);
    expectRefused(['predict', model, image, '--engine', 'tfjs'], "shard group1-shard2of4.bin does not match the model card's checksum");
  });

  it('predict refuses a topology with a million filters before building it, naming the layer and the key', () => {
    const model = brokenModel('huge-filters', (json) => void (json.modelTopology.config.layers[0].config.filters = 1_000_000));
    expectRefused(['predict', model, image, '--engine', 'tfjs'], 'layer "conv" (Conv2D) alone needs 28000000 from its "filters"');
  });

  it('predict refuses a deeply nested model.json before parsing it', () => {
    const model = brokenModel('nested', () => `{"modelTopology": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expectRefused(['predict', model, image, '--engine', 'tfjs'], `${path.join(model, 'model.json')}: JSON nested more than 64 levels deep`);
  });

  it('predict refuses an empty .onnx file as empty, not as a file without an input size', () => {
    const empty = path.join(dir, 'empty.onnx');
    writeFileSync(empty, new Uint8Array(0));
    expectRefused(['predict', empty, image], `${empty}: the file is empty (0 bytes), not an ONNX model`);
  });
});
