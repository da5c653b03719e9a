import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '@resnet-ts/onnx';
import { writeModelCard } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../src/engine';
import { ClassNamesMismatchError } from '../src/class-names-error';
import { openPredictor } from '../src/node/open-predictor';
import { rankedNames, SIZE, seededImages, tinyCard, tinyClassifier, useCpuAndTempDir } from './helpers';

const temp = useCpuAndTempDir('resnet-inference-open-');
const NOTICE = 'no model card; assuming unit normalization and class indices as names';
let foreignFolder: string;
let foreignOnnx: string;
let cardedFolder: string;

beforeAll(async () => {
  // A foreign model: saved by plain tfjs, no model card, no resnet-ts metadata.
  const model = tinyClassifier();
  foreignFolder = path.join(temp.dir(), 'foreign');
  await model.save(fileIO(foreignFolder));
  foreignOnnx = path.join(temp.dir(), 'foreign.onnx');
  writeFileSync(foreignOnnx, exportOnnx(model));
  writeModelCard(model, tinyCard(['ant', 'bee', 'cat', 'dog']));
  cardedFolder = path.join(temp.dir(), 'carded');
  await model.save(fileIO(cardedFolder));
  model.dispose();
});

describe('openPredictor', () => {
  it.each(['tfjs', 'onnx'] as const)('runs a foreign tfjs model without a card on %s, with the notice of what is assumed', async (engine) => {
    const predictor = await openPredictor(foreignFolder, { engine });
    try {
      expect(predictor.source).toBe(foreignFolder);
      expect(predictor.cardNotice).toBe(NOTICE);
      expect(predictor.input).toEqual({ size: [SIZE, SIZE, 3], normalization: 'unit' });
      expect(predictor.classNames).toBeUndefined();
      expect(await predictor.ready()).toBe(engine);
      const [top] = await predictor.classify(seededImages(1, 5), { topK: 4 });
      expect(top.map((s) => s.className).sort()).toEqual(['0', '1', '2', '3']);
    } finally {
      await predictor.dispose();
    }
  });

  it('runs a foreign .onnx file without a card, with the notice', async () => {
    const predictor = await openPredictor(foreignOnnx);
    try {
      expect(predictor.cardNotice).toBe(NOTICE);
      expect(predictor.input.normalization).toBe('unit');
      const tfjs = await openPredictor(foreignFolder, { engine: 'tfjs' });
      const images = seededImages(3, 6);
      expect(rankedNames(await predictor.classify(images))).toEqual(rankedNames(await tfjs.classify(images)));
      await tfjs.dispose();
    } finally {
      await predictor.dispose();
    }
  });

  it("knows the card before the engine loads, and frees the model whether or not it loaded", async () => {
    const before = tf.memory().numTensors;
    const unused = await openPredictor(cardedFolder, { engine: 'onnx', normalization: 'raw' });
    expect(unused.input).toEqual({ size: [SIZE, SIZE, 3], normalization: 'raw' });
    expect(unused.classNames).toEqual(['ant', 'bee', 'cat', 'dog']);
    await unused.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const used = await openPredictor(cardedFolder, { engine: 'onnx' });
    expect(await used.ready()).toBe('onnx');
    // The weights moved into onnxruntime: the tfjs copy is gone already.
    expect(tf.memory().numTensors).toBe(before);
    await used.dispose();
  });

  it('starts the tfjs backend through beforeTfjsLoad, and not for an .onnx file', async () => {
    const beforeTfjsLoad = vi.fn(async () => undefined);
    await (await openPredictor(foreignOnnx, { beforeTfjsLoad })).dispose();
    expect(beforeTfjsLoad).not.toHaveBeenCalled();
    await (await openPredictor(foreignFolder, { engine: 'tfjs', beforeTfjsLoad })).dispose();
    expect(beforeTfjsLoad).toHaveBeenCalledOnce();
  });

  it('auto runs on tfjs, with a warning, a model with a layer that has no ONNX export; onnx refuses it', async () => {
    const model = tinyClassifier({ unsupportedLayer: true });
    const folder = path.join(temp.dir(), 'leaky');
    await model.save(fileIO(folder));
    model.dispose();
    const onWarning = vi.fn();
    const auto = await openPredictor(folder, { engine: 'auto', onWarning });
    expect(await auto.ready()).toBe('tfjs');
    expect(onWarning).toHaveBeenCalledWith(expect.stringMatching(/^engine auto: .*LeakyReLU.*; running on tfjs instead$/));
    expect(await auto.classify(seededImages(1, 7))).toHaveLength(1);
    await auto.dispose();
    const onnx = await openPredictor(folder, { engine: 'onnx' });
    await expect(onnx.ready()).rejects.toThrow(EngineError);
    await expect(onnx.classify(seededImages(1, 7))).rejects.toThrow(/^engine onnx cannot run .*leaky: .*LeakyReLU/);
    await onnx.dispose();
  });

  it('refuses class names that do not name every output before any engine loads, on either engine', async () => {
    const model = tinyClassifier();
    const carded = path.join(temp.dir(), 'carded.onnx');
    writeFileSync(carded, exportOnnx(model, { metadata: { card: tinyCard(['ant', 'bee', 'cat', 'dog']) } }));
    model.dispose();
    const before = tf.memory().numTensors;
    for (const source of [cardedFolder, carded]) {
      const refused = openPredictor(source, { classNames: ['a', 'b'] });
      await expect(refused).rejects.toThrow(`${source}: class names: 2 given for a model with 4 outputs`);
      // Typed, so a caller names its own option without matching the text.
      await expect(refused).rejects.toMatchObject({ name: 'ClassNamesMismatchError', given: 2, outputs: 4, source });
      await expect(refused).rejects.toBeInstanceOf(ClassNamesMismatchError);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a file that is not ONNX, and refuses an .onnx file on tfjs', async () => {
    const broken = path.join(temp.dir(), 'broken.onnx');
    writeFileSync(broken, 'plain text, not protobuf');
    await expect(openPredictor(broken)).rejects.toThrow(/broken\.onnx: not an ONNX model file/);
    await expect(openPredictor(foreignOnnx, { engine: 'tfjs' })).rejects.toThrow(/^engine tfjs cannot run .*foreign\.onnx/);
  });

  it('refuses a tfjs folder without its weights manifest, and an empty .onnx file, naming each, before building anything', async () => {
    const stripped = path.join(temp.dir(), 'no-manifest');
    cpSync(cardedFolder, stripped, { recursive: true });
    const json = JSON.parse(readFileSync(path.join(stripped, 'model.json'), 'utf8'));
    delete json.weightsManifest;
    writeFileSync(path.join(stripped, 'model.json'), JSON.stringify(json));
    const empty = path.join(temp.dir(), 'empty.onnx');
    writeFileSync(empty, new Uint8Array(0));
    const before = tf.memory().numTensors;
    for (const engine of ['tfjs', 'auto'] as const) {
      await expect(openPredictor(stripped, { engine })).rejects.toThrow(`${path.join(stripped, 'model.json')}: no "weightsManifest"`);
    }
    await expect(openPredictor(empty)).rejects.toThrow(`${empty}: the file is empty (0 bytes), not an ONNX model`);
    expect(tf.memory().numTensors).toBe(before);
  });
});
