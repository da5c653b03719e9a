import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageFolder } from '../src/node/index';

// ../shared relative to the repo root.
const signsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/signs');
const present = fs.existsSync(path.join(signsRoot, 'train'));
if (!present) console.warn(`SKIPPED: SIGNS dataset not found at ${signsRoot}; the real-data test of imageFolder does not run`);

describe.skipIf(!present)('SIGNS (real hand-sign photos, ../shared/datasets/signs)', () => {
  it('loads 864 train / 216 val images in 6 classes, 64x64x3, with the pixel mean sharp reports', async () => {
    await tf.setBackend('cpu');
    const splits = await imageFolder(signsRoot, { imageSize: 64, workers: 2, normalization: 'raw' });
    try {
      expect(splits.classNames).toEqual(['0', '1', '2', '3', '4', '5']);
      expect([splits.train.size, splits.val.size, splits.test]).toEqual([864, 216, undefined]);
      const perClass = new Array(6).fill(0);
      let sum = 0;
      let pixels = 0;
      const before = tf.memory().numTensors;
      for await (const { xs, ys } of splits.val.batches({ batchSize: 64 })) {
        expect(xs.shape.slice(1)).toEqual([64, 64, 3]);
        tf.tidy(() => ys.argMax(1).dataSync()).forEach((label) => perClass[label]++);
        sum += tf.tidy(() => xs.sum().dataSync()[0]);
        pixels += xs.size;
        tf.dispose([xs, ys]);
      }
      expect(tf.memory().numTensors).toBe(before);
      const onDisk = splits.classNames.map((c) => fs.readdirSync(path.join(signsRoot, 'val', c)).filter((f) => f.endsWith('.jpg')).length);
      expect(perClass).toEqual(onDisk);
      expect(perClass).toEqual([39, 34, 38, 38, 36, 31]);
      // Independent reference: sharp's own channel means of the val JPEGs (already 64x64, so no resize).
      let reference = 0;
      const files = fs.readdirSync(path.join(signsRoot, 'val')).flatMap((c) => fs.readdirSync(path.join(signsRoot, 'val', c)).map((f) => path.join(signsRoot, 'val', c, f)));
      for (const file of files) {
        const stats = await sharp(file).stats();
        reference += stats.channels.slice(0, 3).reduce((s, ch) => s + ch.mean, 0) / 3 / files.length;
      }
      expect(sum / pixels).toBeCloseTo(reference, 1);
    } finally {
      await splits.dispose();
    }
  });
});
