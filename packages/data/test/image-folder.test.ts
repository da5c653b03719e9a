import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableExampleError, type ImageDataset } from '../src/index';
import { imageFolder, loadClassMap, saveClassMap } from '../src/node/index';
import { pngHeaderOnly, tempDir, withJpegFrameSize, writeSolid } from './fixtures';

let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempDir('folder');
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function firstPixels(dataset: ImageDataset, batchSize: number) {
  const rows: { rgb: number[]; label: number }[] = [];
  for await (const { xs, ys } of dataset.batches({ batchSize, shuffle: false, augment: false })) {
    const pixels = xs.arraySync() as number[][][][];
    const labels = tf.tidy(() => ys.argMax(1).arraySync() as number[]);
    pixels.forEach((image, i) => rows.push({ rgb: image[0][0].map((v) => Math.round(v * 255)), label: labels[i] }));
    tf.dispose([xs, ys]);
  }
  return rows;
}

describe('imageFolder', () => {
  it('reads PNG, JPEG, WebP, grayscale, RGBA, 16-bit and EXIF-rotated images as RGB, ignoring hidden and non-image files', async () => {
    const dir = path.join(root, 'formats');
    await writeSolid(path.join(dir, 'red', 'a.png'), 20, 10, [255, 0, 0]);
    await writeSolid(path.join(dir, 'red', 'b.jpg'), 10, 10, [255, 0, 0]);
    await writeSolid(path.join(dir, 'red', 'nested', 'c.webp'), 12, 12, [255, 0, 0]);
    await writeSolid(path.join(dir, 'red', '.hidden.png'), 10, 10, [0, 0, 255]);
    await fs.writeFile(path.join(dir, 'red', 'notes.txt'), 'not an image');
    await fs.mkdir(path.join(dir, 'gray'), { recursive: true });
    await sharp({ create: { width: 10, height: 10, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .toColourspace('b-w')
      .png()
      .toFile(path.join(dir, 'gray', 'g.png'));
    // Fully transparent RGBA composites onto white.
    await sharp({ create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toFile(path.join(dir, 'gray', 'h-rgba.png'));
    await sharp({ create: { width: 10, height: 10, channels: 3, background: { r: 0, g: 255, b: 0 } } })
      .toColourspace('rgb16')
      .png()
      .toFile(path.join(dir, 'gray', 'i-16bit.png'));
    // Left half black, right half white, stored with EXIF orientation 3 (rotate 180): after auto-orient the left is white.
    const halves = Buffer.alloc(10 * 10 * 3);
    for (let y = 0; y < 10; y++) for (let x = 5; x < 10; x++) halves.fill(255, (y * 10 + x) * 3, (y * 10 + x) * 3 + 3);
    await sharp(halves, { raw: { width: 10, height: 10, channels: 3 } }).withMetadata({ orientation: 3 }).png().toFile(path.join(dir, 'gray', 'j-exif.png'));

    const splits = await imageFolder(dir, { imageSize: 4, valFraction: 0, workers: 1 });
    try {
      expect(splits.classNames).toEqual(['gray', 'red']);
      expect(splits.train.size).toBe(7);
      expect(splits.train.imageShape).toEqual([4, 4, 3]);
      const rows = await firstPixels(splits.train, 7);
      expect(rows.map((r) => r.label)).toEqual([0, 0, 0, 0, 1, 1, 1]);
      expect(rows[0].rgb).toEqual([128, 128, 128]);
      expect(rows[1].rgb).toEqual([255, 255, 255]);
      expect(rows[2].rgb).toEqual([0, 255, 0]);
      expect(rows[3].rgb).toEqual([255, 255, 255]);
      for (const row of rows.slice(4)) expect(Math.abs(row.rgb[0] - 255) + row.rgb[1] + row.rgb[2]).toBeLessThan(8);
    } finally {
      await splits.dispose();
    }
  });

  it('uses train/val/test subfolders when present, with one sorted class map', async () => {
    const dir = path.join(root, 'splits');
    for (const [split, n] of [['train', 3], ['val', 2], ['test', 1]] as const) {
      for (const cls of ['b', 'a']) for (let i = 0; i < n; i++) await writeSolid(path.join(dir, split, cls, `${i}.png`), 9, 9, [i, 0, 0]);
    }
    const splits = await imageFolder(dir, { imageSize: 8, workers: 1 });
    try {
      expect(splits.classNames).toEqual(['a', 'b']);
      expect([splits.train.size, splits.val.size, splits.test?.size]).toEqual([6, 4, 2]);
      const mapFile = path.join(root, 'out', 'classes.json');
      await saveClassMap(mapFile, splits.classNames);
      expect(await loadClassMap(mapFile)).toEqual(['a', 'b']);
    } finally {
      await splits.dispose();
    }
  });

  it('names the folder when there are no classes, an empty class, or an unreadable path', async () => {
    const empty = path.join(root, 'no-classes');
    await fs.mkdir(empty, { recursive: true });
    await expect(imageFolder(empty)).rejects.toThrow(new RegExp(`${empty} has no class folders`));
    await expect(imageFolder(path.join(root, 'missing'))).rejects.toThrow(/Cannot read image folder .*missing.*ENOENT/);
    const oneEmpty = path.join(root, 'one-empty');
    await writeSolid(path.join(oneEmpty, 'full', 'x.png'), 9, 9, [1, 2, 3]);
    await fs.mkdir(path.join(oneEmpty, 'hollow'));
    await expect(imageFolder(oneEmpty)).rejects.toThrow(/Class folder .*hollow contains no images/);
    const warnings: string[] = [];
    const splits = await imageFolder(oneEmpty, { onError: 'skip', onWarning: (m) => warnings.push(m), valFraction: 0 });
    expect(splits.classNames).toEqual(['full', 'hollow']);
    expect(warnings[0]).toMatch(/hollow/);
    await splits.dispose();
  });

  it('fails on corrupt, truncated, tiny and huge images naming the file, or skips and counts them', async () => {
    const dir = path.join(root, 'bad');
    await writeSolid(path.join(dir, 'c', 'good.png'), 16, 16, [10, 20, 30]);
    await writeSolid(path.join(dir, 'c', 'good2.jpg'), 16, 16, [10, 20, 30]);
    const jpeg = await fs.readFile(path.join(dir, 'c', 'good2.jpg'));
    await fs.writeFile(path.join(dir, 'c', 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    const garbage = Buffer.from(jpeg);
    garbage.fill(0x42, 2, 40);
    await fs.writeFile(path.join(dir, 'c', 'corrupt.jpg'), garbage);
    await writeSolid(path.join(dir, 'c', 'tiny.png'), 1, 1, [0, 0, 0]);
    await fs.writeFile(path.join(dir, 'c', 'huge.png'), pngHeaderOnly(20000, 20000));
    await writeSolid(path.join(dir, 'c', 'tiny.jpg'), 3, 2, [0, 0, 0]);
    await fs.writeFile(path.join(dir, 'c', 'huge.jpg'), withJpegFrameSize(jpeg, 20000, 20000));

    for (const name of ['truncated.jpg', 'corrupt.jpg', 'tiny.png', 'huge.png', 'tiny.jpg', 'huge.jpg']) {
      const only = path.join(root, `only-${name}`, 'c');
      await fs.mkdir(only, { recursive: true });
      await fs.copyFile(path.join(dir, 'c', name), path.join(only, name));
      const splits = await imageFolder(path.dirname(only), { imageSize: 8, valFraction: 0, workers: 1 });
      const iterate = async () => {
        for await (const b of splits.train.batches({ batchSize: 4 })) tf.dispose([b.xs, b.ys]);
      };
      const expected =
        {
          'tiny.png': /1x1, smaller than minSide 8/,
          'huge.png': /20000x20000 = 400000000 pixels, over maxPixels/,
          'tiny.jpg': /3x2, smaller than minSide 8/,
          'huge.jpg': /20000x20000 = 400000000 pixels, over maxPixels/,
        }[name] ?? /.*/;
      await expect(iterate()).rejects.toThrow(new RegExp(`${name}.*`));
      await expect(iterate()).rejects.toThrow(expected);
      // Typed, so an app can word the skip hint for its own flag.
      await expect(iterate()).rejects.toBeInstanceOf(UnreadableExampleError);
      await splits.dispose();
    }

    const warnings: string[] = [];
    const before = tf.memory().numTensors;
    const splits = await imageFolder(dir, { imageSize: 8, valFraction: 0, workers: 2, onError: 'skip', onWarning: (m) => warnings.push(m) });
    let seen = 0;
    for await (const b of splits.train.batches({ batchSize: 3 })) {
      seen += b.xs.shape[0];
      tf.dispose([b.xs, b.ys]);
    }
    expect(seen).toBe(2);
    expect(splits.train.skipped.map((s) => path.basename(s.where)).sort()).toEqual(['corrupt.jpg', 'huge.jpg', 'huge.png', 'tiny.jpg', 'tiny.png', 'truncated.jpg']);
    expect(warnings).toHaveLength(6);
    expect(tf.memory().numTensors).toBe(before);
    await splits.dispose();
  });

  it('caches decoded images on disk and serves later epochs from the cache', async () => {
    const dir = path.join(root, 'cached');
    for (let i = 0; i < 4; i++) await writeSolid(path.join(dir, i % 2 ? 'odd' : 'even', `${i}.png`), 30, 20, [i * 60, 50, 100]);
    const cacheDir = path.join(root, 'cache');
    const read = async () => {
      const splits = await imageFolder(dir, { imageSize: [6, 5], fit: 'cover', valFraction: 0, workers: 1, cacheDir });
      const out: number[] = [];
      for await (const b of splits.train.batches({ batchSize: 4, shuffle: false })) {
        out.push(...b.xs.dataSync());
        tf.dispose([b.xs, b.ys]);
      }
      await splits.dispose();
      return out;
    };
    const first = await read();
    const cached = (await fs.readdir(cacheDir, { recursive: true })).filter((f) => f.endsWith('.rgb'));
    expect(cached).toHaveLength(4);
    // Prove the second read comes from the cache: overwrite one cache entry and see it in the batch.
    const entry = path.join(cacheDir, cached[0]);
    await fs.writeFile(entry, Buffer.alloc(6 * 5 * 3, 7));
    const second = await read();
    expect(second).not.toEqual(first);
    expect(second.filter((v) => Math.abs(v - 7 / 255) < 1e-6)).toHaveLength(6 * 5 * 3);
  });
});
