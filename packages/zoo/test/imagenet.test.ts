import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePredictions, preprocessInput, type ClassIndex } from '../src/imagenet/index';
import { loadClassIndexCached } from '../src/node/index';
import { getModelConfig } from '../src/registry/registry';

/** A 4-class index in Keras's shape, made for the test (not ImageNet's names). */
const CLASS_INDEX: ClassIndex = {
  '0': ['n00000001', 'apple'],
  '1': ['n00000002', 'banana'],
  '2': ['n00000003', 'cherry'],
  '3': ['n00000004', 'date'],
};

let dir: string;
let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'imagenet-'));
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === '/class_index.json') res.end(JSON.stringify(CLASS_INDEX));
    else if (req.url === '/broken.json') res.end('{"0": "not a pair"}');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('preprocessInput equals Keras imagenet_utils', () => {
  const rgb = [
    [10, 200, 30],
    [255, 0, 128],
  ];
  const pixels = () => tf.tensor4d(rgb.flat(), [1, 1, 2, 3]);

  it("'caffe' flips RGB to BGR and subtracts the BGR mean", async () => {
    const x = pixels();
    const before = tf.memory().numTensors;
    const y = preprocessInput(x, 'caffe');
    const mean = [103.939, 116.779, 123.68];
    const expected = rgb.flatMap(([r, g, b]) => [b - mean[0], g - mean[1], r - mean[2]]);
    Array.from(await y.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it("'tf' scales to [-1, 1]", async () => {
    const x = pixels();
    const y = preprocessInput(x, 'tf');
    Array.from(await y.data()).forEach((v, i) => expect(v).toBeCloseTo(rgb.flat()[i] / 127.5 - 1, 6));
    tf.dispose([x, y]);
  });

  it("'torch' scales to [0, 1] and normalises with the ImageNet RGB mean and std", async () => {
    const x = pixels();
    const y = preprocessInput(x, 'torch');
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    Array.from(await y.data()).forEach((v, i) => expect(v).toBeCloseTo((rgb.flat()[i] / 255 - mean[i % 3]) / std[i % 3], 5));
    tf.dispose([x, y]);
  });

  it("a model's preprocessing config gives the same result as its mode", async () => {
    const x = pixels();
    const byMode = preprocessInput(x, 'caffe');
    const byConfig = preprocessInput(x, getModelConfig('resnet50').preprocessing);
    expect(Array.from(await byConfig.data())).toEqual(Array.from(await byMode.data()));
    tf.dispose([x, byMode, byConfig]);
  });

  it('refuses input without 3 channels last', () => {
    const x = tf.zeros([1, 2, 2, 1]);
    expect(() => preprocessInput(x, 'caffe')).toThrow(/last dimension 3/);
    x.dispose();
  });
});

describe('decodePredictions', () => {
  const preds = [
    [0.1, 0.6, 0.05, 0.25],
    [0.7, 0.1, 0.15, 0.05],
  ];

  it('returns the top classes per row, best first, from an object', async () => {
    const decoded = await decodePredictions(tf.tensor2d(preds), { top: 2, classIndex: CLASS_INDEX });
    expect(decoded).toEqual([
      [
        { index: 1, wnid: 'n00000002', className: 'banana', probability: expect.closeTo(0.6, 6) },
        { index: 3, wnid: 'n00000004', className: 'date', probability: expect.closeTo(0.25, 6) },
      ],
      [
        { index: 0, wnid: 'n00000001', className: 'apple', probability: expect.closeTo(0.7, 6) },
        { index: 2, wnid: 'n00000003', className: 'cherry', probability: expect.closeTo(0.15, 6) },
      ],
    ]);
  });

  it('reads the class index from a path or a URL', async () => {
    const path = join(dir, 'class_index.json');
    writeFileSync(path, JSON.stringify(CLASS_INDEX));
    const fromPath = await decodePredictions(preds, { top: 1, classIndex: path });
    const fromUrl = await decodePredictions(preds, { top: 1, classIndex: `${base}/class_index.json` });
    expect(fromPath.map((r) => r[0].className)).toEqual(['banana', 'apple']);
    expect(fromUrl).toEqual(fromPath);
  });

  it('refuses predictions whose width differs from the class index', async () => {
    await expect(decodePredictions([[0.5, 0.5]], { classIndex: CLASS_INDEX })).rejects.toThrow(
      'decodePredictions: row 0 has 2 scores but the class index has 4 classes',
    );
  });

  it('refuses a malformed class index naming the entry', async () => {
    await expect(decodePredictions(preds, { classIndex: { '0': ['n1', 'a'], '2': ['n2', 'b'] } as ClassIndex })).rejects.toThrow(
      /entry "1" is missing/,
    );
  });
});

describe('class index cache (Node)', () => {
  it('downloads once, then reads the cache', async () => {
    const cacheDir = join(dir, 'cache');
    const start = hits;
    const first = await loadClassIndexCached(`${base}/class_index.json`, { cacheDir });
    const second = await loadClassIndexCached(`${base}/class_index.json`, { cacheDir });
    expect(hits - start).toBe(1);
    expect(second).toEqual(first);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^class_index-[0-9a-f]{12}\.json$/)]);
  });

  it('does not cache something that is not a class index', async () => {
    const cacheDir = join(dir, 'cache-broken');
    await expect(loadClassIndexCached(`${base}/broken.json`, { cacheDir })).rejects.toThrow(/not a class index .*nothing was cached/);
  });

  it('says to pass a local file when the download fails', async () => {
    await expect(loadClassIndexCached(`${base}/missing.json`, { cacheDir: join(dir, 'c3') })).rejects.toThrow(
      /HTTP 404\. Pass a local copy instead/,
    );
  });
});
