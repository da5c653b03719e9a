import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileIO, registerFileIORouters } from '../src/node/index';

let root: string;
let counter = 0;
const freshDir = () => join(root, `model-${(counter += 1)}`);

/** conv 3x3x3x8 on size x size x 3 + dense(units); size 8 with 4096 units is ~4.7 MB: two 4 MiB shards. */
function smallModel(units = 10, size = 4): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [size, size, 3], filters: 8, kernelSize: 3, name: 'conv', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units, name: 'fc', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), biasInitializer: tf.initializers.randomNormal({ seed: 3 }) }),
    ],
  });
}

async function expectClose(a: tf.LayersModel, b: tf.LayersModel, tolerance = 0) {
  const wa = a.getWeights();
  const wb = b.getWeights();
  expect(wb.map((w) => w.shape)).toEqual(wa.map((w) => w.shape));
  for (let i = 0; i < wa.length; i += 1) {
    const x = await wa[i].data();
    const y = await wb[i].data();
    let worst = 0;
    for (let k = 0; k < x.length; k += 1) worst = Math.max(worst, Math.abs(x[k] - y[k]));
    expect(worst).toBeLessThanOrEqual(tolerance);
  }
}

/** Saves a small model and returns its folder and parsed model.json. */
async function savedModel() {
  const dir = freshDir();
  const model = smallModel();
  await model.save(fileIO(dir));
  model.dispose();
  return { dir, json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) };
}

function rewrite(dir: string, edit: (json: any) => void) {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  edit(json);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'tfjs-file-io-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('file IO handler', () => {
  it('saves model.json with 4 MiB shards and loads it back exactly', async () => {
    const dir = freshDir();
    const model = smallModel(4096, 8);
    await model.save(fileIO(dir));
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
    expect(statSync(join(dir, 'group1-shard1of2.bin')).size).toBe(4 * 1024 * 1024);
    expect(readdirSync(root).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const loaded = await tf.loadLayersModel(fileIO(dir));
    await expectClose(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it('serves file:// URLs through tf.loadLayersModel and model.save once registered', async () => {
    registerFileIORouters();
    const dir = freshDir();
    const model = smallModel();
    await model.save(`file://${dir}`);
    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    await expectClose(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it('replaces an existing model folder but refuses a folder holding other data', async () => {
    const dir = freshDir();
    const first = smallModel();
    await first.save(fileIO(dir));
    const second = smallModel(12);
    await second.save(fileIO(dir));
    const loaded = await tf.loadLayersModel(fileIO(dir));
    expect(loaded.outputs[0].shape).toEqual([null, 12]);
    const other = freshDir();
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    await expect(first.save(fileIO(other))).rejects.toThrow(/non-empty folder without model.json; refusing/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
    [first, second, loaded].forEach((m) => m.dispose());
  });
});

describe('refuses unsafe or broken model folders', () => {
  it.each([
    ['../outside.bin', /climbs out of the model folder/],
    ['sub/../../outside.bin', /climbs out of the model folder/],
    ['%2e%2e/outside.bin', /climbs out of the model folder/],
    ['/etc/passwd', /is absolute/],
    ['http://example.invalid/weights.bin', /is a URL/],
    ['C:/weights.bin', /is a URL or a drive path/],
  ])('a shard path %s', async (path, message) => {
    const { dir } = await savedModel();
    rewrite(dir, (json) => (json.weightsManifest[0].paths = [path]));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(message);
  });

  it('a shard that is a symbolic link to a file outside the folder', async () => {
    const { dir } = await savedModel();
    const outside = join(root, 'secret.bin');
    writeFileSync(outside, readFileSync(join(dir, 'group1-shard1of1.bin')));
    rmSync(join(dir, 'group1-shard1of1.bin'));
    symlinkSync(outside, join(dir, 'group1-shard1of1.bin'));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/points outside the model folder through a symbolic link/);
  });

  it('a shard shorter than its weight specs', async () => {
    const { dir } = await savedModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    writeFileSync(shard, readFileSync(shard).subarray(0, 100));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/hold 100 bytes but their weight specs need \d+/);
  });

  it('a shard longer than its weight specs', async () => {
    const { dir } = await savedModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    writeFileSync(shard, Buffer.concat([readFileSync(shard), Buffer.alloc(8)]));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/shard group1-shard1of1.bin has \d+ bytes but the weight specs need only \d+/);
  });

  it.each([
    [{ dtype: 'float64' }, /unknown or unsupported dtype "float64"/],
    [{ dtype: 'string' }, /unknown or unsupported dtype "string"/],
    [{ shape: [-1, 3] }, /invalid dimension -1/],
    [{ shape: [1.5] }, /invalid dimension 1.5/],
    [{ shape: [1e6, 1e6, 1e6] }, /over the \d+-byte limit/],
    [{ shape: new Array(20).fill(1) }, /at most 8 dimensions/],
    [{ quantization: { dtype: 'int4' } }, /unknown quantization dtype "int4"/],
  ])('a weight spec with %j', async (patch, message) => {
    const { dir } = await savedModel();
    rewrite(dir, (json) => Object.assign(json.weightsManifest[0].weights[0], patch));
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(message);
  });

  it('a model.json that is not JSON, or has no topology', async () => {
    const { dir } = await savedModel();
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(`${join(dir, 'model.json')}: not valid JSON`);
    writeFileSync(join(dir, 'model.json'), '{"weightsManifest": []}');
    await expect(tf.loadLayersModel(fileIO(dir))).rejects.toThrow(/no "modelTopology" object/);
  });
});

describe('quantised export', () => {
  it.each([
    ['float16', 2, 1e-3],
    ['uint8', 1, 0.01],
  ] as const)('%s shards are %i bytes per weight and load back within tolerance', async (mode, bytesPerWeight, tolerance) => {
    const dir = freshDir();
    const model = smallModel(64);
    await model.save(fileIO(dir, { quantize: mode }));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const count = model.countParams();
    expect(statSync(join(dir, 'group1-shard1of1.bin')).size).toBe(count * bytesPerWeight);
    expect(json.weightsManifest[0].weights.every((w: any) => w.quantization.dtype === mode)).toBe(true);
    const loaded = await tf.loadLayersModel(fileIO(dir));
    await expectClose(model, loaded, tolerance);
    model.dispose();
    loaded.dispose();
  });
});
