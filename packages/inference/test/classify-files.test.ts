import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng } from '@resnet-ts/trainer';
import { writeModelCard } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../src/node/classify-files';
import { ImageDecodeError } from '../src/node/decoded-batches';
import { listImageFiles } from '../src/node/image-files';
import { openPredictor } from '../src/node/open-predictor';
import { rankedNames, tinyCard, tinyClassifier, useCpuAndTempDir } from './helpers';

const temp = useCpuAndTempDir('resnet-inference-files-');
let modelDir: string;
let imagesDir: string;

/** A 24x20 PNG whose pixels depend on `seed` (decoded and resized to the model's 16x16). */
function writeImage(file: string, seed: number): void {
  const pixels = new Uint8Array(24 * 20 * 3).map((_, i) => (i * (7 + seed) + seed * 31) % 256);
  writeFileSync(file, encodePng(pixels, 24, 20, 3));
}

beforeAll(async () => {
  const model = tinyClassifier();
  writeModelCard(model, tinyCard(['ant', 'bee', 'cat', 'dog']));
  modelDir = path.join(temp.dir(), 'model');
  await model.save(fileIO(modelDir));
  model.dispose();
  imagesDir = path.join(temp.dir(), 'images');
  mkdirSync(path.join(imagesDir, 'nested'), { recursive: true });
  ['b.png', 'a.png', 'nested/c.png', '.hidden.png'].forEach((name, i) => writeImage(path.join(imagesDir, name), i));
  writeFileSync(path.join(imagesDir, 'notes.txt'), 'not an image');
});

describe('listImageFiles', () => {
  it('lists named files and the images in named folders, recursively and sorted, skipping hidden entries', async () => {
    const single = path.join(imagesDir, 'b.png');
    expect(await listImageFiles([imagesDir, single])).toEqual([
      path.join(imagesDir, 'a.png'),
      path.join(imagesDir, 'b.png'),
      path.join(imagesDir, 'nested', 'c.png'),
      single,
    ]);
  });

  it('leaves out a name that is not valid UTF-8 with a warning, instead of failing on a mangled path', async () => {
    const dir = path.join(temp.dir(), 'latin1');
    mkdirSync(dir);
    writeImage(path.join(dir, 'ok.png'), 1);
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.png')]), 'x');
    const warnings: string[] = [];
    expect(await listImageFiles([dir], { onWarning: (m) => warnings.push(m) })).toEqual([path.join(dir, 'ok.png')]);
    expect(warnings).toEqual([`Skipping "caf\\xe9.png" in ${dir}: its name is not valid UTF-8; rename it to read it`]);
  });

  it('names a missing input, and says when there is no image at all', async () => {
    await expect(listImageFiles([path.join(imagesDir, 'missing.png')])).rejects.toThrow(/missing\.png: no such image file or folder/);
    const empty = path.join(temp.dir(), 'empty');
    mkdirSync(empty);
    await expect(listImageFiles([empty])).rejects.toThrow(/no images found in .*empty \(extensions: \.jpg/);
  });
});

describe('classifyFiles', () => {
  it('ranks every file in order, in batches, with the same top-k on tfjs and onnx', async () => {
    const files = await listImageFiles([imagesDir]);
    const results = [];
    for (const engine of ['tfjs', 'onnx'] as const) {
      const predictor = await openPredictor(modelDir, { engine });
      try {
        // Batches of 2 over 3 images: a full batch and a partial one.
        results.push(await classifyFiles(predictor, files, { batchSize: 2, topK: 2, workers: 1 }));
      } finally {
        await predictor.dispose();
      }
    }
    const [tfjs, onnx] = results;
    expect([tfjs.engine, onnx.engine]).toEqual(['tfjs', 'onnx']);
    expect(tfjs.predictions.map((p) => p.file)).toEqual(files);
    expect(tfjs.predictions.every((p) => p.top.length === 2 && ['ant', 'bee', 'cat', 'dog'].includes(p.top[0].className))).toBe(true);
    expect(rankedNames(onnx.predictions.map((p) => p.top))).toEqual(rankedNames(tfjs.predictions.map((p) => p.top)));
    expect(onnx.modelMs).toBeGreaterThan(0);
  });

  it('names the image that does not decode', async () => {
    const bad = path.join(temp.dir(), 'bad.jpg');
    writeFileSync(bad, Buffer.alloc(64, 0x42));
    const predictor = await openPredictor(modelDir, { engine: 'tfjs' });
    try {
      const failure = classifyFiles(predictor, [path.join(imagesDir, 'a.png'), bad], { batchSize: 1, workers: 1 });
      await expect(failure).rejects.toThrow(ImageDecodeError);
      await expect(failure).rejects.toThrow(/bad\.jpg: /);
    } finally {
      await predictor.dispose();
    }
  });

  it("with onError: 'skip' ranks the images that decode, warns once per bad one and lists it in failed", async () => {
    const bad = path.join(temp.dir(), 'bad2.jpg');
    writeFileSync(bad, Buffer.alloc(64, 0x42));
    const good = [path.join(imagesDir, 'a.png'), path.join(imagesDir, 'b.png')];
    const predictor = await openPredictor(modelDir, { engine: 'tfjs' });
    const warnings: string[] = [];
    try {
      // The bad image alone in one batch, and beside a good one in another.
      const result = await classifyFiles(predictor, [good[0], bad, bad, good[1]], { batchSize: 2, workers: 1, onError: 'skip', onWarning: (m) => warnings.push(m) });
      expect(result.predictions.map((p) => p.file)).toEqual(good);
      expect(result.failed.map((f) => f.file)).toEqual([bad, bad]);
      expect(result.failed[0].error).toMatch(/bad2\.jpg: /);
      expect(warnings).toEqual([expect.stringMatching(/^Skipping .*bad2\.jpg: /), expect.stringMatching(/^Skipping .*bad2\.jpg: /)]);
      const alone = await classifyFiles(predictor, [bad], { workers: 1, onError: 'skip', onWarning: () => undefined });
      expect([alone.predictions, alone.failed.length]).toEqual([[], 1]);
    } finally {
      await predictor.dispose();
    }
  });
});
