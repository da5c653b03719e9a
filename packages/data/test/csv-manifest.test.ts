import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvManifest } from '../src/node/index';
import { parseCsv } from '../src/node/csv';
import { tempDir, writeSolid } from './fixtures';

let root: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempDir('csv');
  for (let i = 0; i < 6; i++) await writeSolid(path.join(root, 'img', `${i}.png`), 10, 10, [i * 40, 0, 0]);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('parseCsv', () => {
  it('handles quotes, embedded commas and newlines, CRLF, BOM and blank lines, keeping line numbers', () => {
    const records = parseCsv('\ufeffpath,label\r\n"a,b.png",cat\r\n\r\n"multi\nline.png","say ""hi"""\nc.png,dog\n', 'x.csv');
    expect(records).toEqual([
      { line: 1, fields: ['path', 'label'] },
      { line: 2, fields: ['a,b.png', 'cat'] },
      { line: 4, fields: ['multi\nline.png', 'say "hi"'] },
      { line: 6, fields: ['c.png', 'dog'] },
    ]);
    expect(() => parseCsv('a,"b\n', 'bad.csv')).toThrow(/bad.csv line 1: unterminated/);
  });
});

describe('csvManifest', () => {
  it('reads paths relative to the CSV, sorts classes and honours a split column', async () => {
    const csv = path.join(root, 'manifest.csv');
    const rows = ['path,label,split', ...Array.from({ length: 6 }, (_, i) => `img/${i}.png,${i % 2 ? 'dog' : 'cat'},${i < 4 ? 'train' : 'val'}`)];
    await fs.writeFile(csv, rows.join('\n'));
    const splits = await csvManifest(csv, { imageSize: 4, workers: 1, normalization: 'raw' });
    try {
      expect(splits.classNames).toEqual(['cat', 'dog']);
      expect([splits.train.size, splits.val.size]).toEqual([4, 2]);
      for await (const { xs, ys } of splits.val.batches({ batchSize: 2 })) {
        const reds = tf.tidy(() => xs.slice([0, 0, 0, 0], [2, 1, 1, 1]).dataSync());
        expect(Array.from(reds)).toEqual([160, 200]);
        expect(Array.from(ys.dataSync())).toEqual([1, 0, 0, 1]);
        tf.dispose([xs, ys]);
      }
    } finally {
      await splits.dispose();
    }
  });

  it('names the CSV line of a missing file, a bad row or an unknown column', async () => {
    const csv = path.join(root, 'broken.csv');
    await fs.writeFile(csv, 'path,label\nimg/0.png,cat\nimg/missing.png,cat\nimg/1.png,dog\nimg/2.png,dog\n');
    const splits = await csvManifest(csv, { imageSize: 4, workers: 1, valFraction: 0 });
    const run = async () => {
      for await (const b of splits.train.batches({ batchSize: 4, shuffle: false })) tf.dispose([b.xs, b.ys]);
    };
    await expect(run()).rejects.toThrow(/broken.csv line 3 \(img\/missing.png\): cannot read file/);
    await splits.dispose();

    const warnings: string[] = [];
    const skipping = await csvManifest(csv, { imageSize: 4, workers: 1, valFraction: 0, onError: 'skip', onWarning: (m) => warnings.push(m) });
    let count = 0;
    for await (const b of skipping.train.batches({ batchSize: 4 })) {
      count += b.xs.shape[0];
      tf.dispose([b.xs, b.ys]);
    }
    expect(count).toBe(3);
    expect(skipping.train.skipped).toHaveLength(1);
    expect(warnings[0]).toMatch(/line 3/);
    await skipping.dispose();

    await fs.writeFile(csv, 'path,label\nimg/0.png,\n');
    await expect(csvManifest(csv)).rejects.toThrow(/broken.csv line 2: empty label/);
    await fs.writeFile(csv, 'file,label\nimg/0.png,cat\n');
    await expect(csvManifest(csv)).rejects.toThrow(/no "path" column in header \[file, label\]/);
    await expect(csvManifest(path.join(root, 'nope.csv'))).rejects.toThrow(/Cannot read CSV manifest .*nope.csv/);
  });
});
