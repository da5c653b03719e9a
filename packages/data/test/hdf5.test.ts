import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hdf5Dataset } from '../src/node/index';
import { tempDir } from './fixtures';

let root: string;

/** Writes an HDF5 file in the deeplearning.ai layout; image n is filled with the value 10 * n. */
function writeH5(file: string, entries: Record<string, { data: unknown; shape?: number[]; dtype?: string }>): void {
  const f = new h5wasm.File(file, 'w');
  for (const [name, { data, shape, dtype }] of Object.entries(entries)) f.create_dataset({ name, data: data as never, shape, dtype });
  f.close();
}

function images(n: number, size = 4): { data: Uint8Array; shape: number[]; dtype: string } {
  const data = new Uint8Array(n * size * size * 3);
  for (let i = 0; i < n; i++) data.fill(10 * i, i * size * size * 3, (i + 1) * size * size * 3);
  return { data, shape: [n, size, size, 3], dtype: '<B' };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await h5wasm.ready;
  root = await tempDir('h5');
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('hdf5Dataset', () => {
  it('reads the deeplearning.ai layout with a separate test file and int labels', async () => {
    const train = path.join(root, 'train_signs.h5');
    const test = path.join(root, 'test_signs.h5');
    writeH5(train, {
      train_set_x: images(10),
      train_set_y: { data: new BigInt64Array([0n, 1n, 2n, 0n, 1n, 2n, 0n, 1n, 2n, 0n]), shape: [10] },
      list_classes: { data: new BigInt64Array([0n, 1n, 2n]), shape: [3] },
    });
    writeH5(test, { test_set_x: images(3), test_set_y: { data: new BigInt64Array([2n, 1n, 0n]), shape: [1, 3] } });
    const splits = await hdf5Dataset(train, { testPath: test, valFraction: 0.3, normalization: 'raw' });
    try {
      expect(splits.classNames).toEqual(['0', '1', '2']);
      expect(splits.train.imageShape).toEqual([4, 4, 3]);
      expect([splits.train.size, splits.val.size, splits.test?.size]).toEqual([7, 3, 3]);
      const before = tf.memory().numTensors;
      for await (const { xs, ys } of splits.test!.batches({ batchSize: 3 })) {
        expect(tf.tidy(() => Array.from(xs.mean([1, 2, 3]).dataSync()))).toEqual([0, 10, 20]);
        expect(tf.tidy(() => Array.from(ys.argMax(1).dataSync()))).toEqual([2, 1, 0]);
        tf.dispose([xs, ys]);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await splits.dispose();
    }
  });

  it('maps string labels to sorted class names and honours custom keys and resizing', async () => {
    const file = path.join(root, 'strings.h5');
    writeH5(file, { images: images(4, 8), names: { data: ['dog', 'cat', 'dog', 'cat'] } });
    const splits = await hdf5Dataset(file, { xKey: 'images', yKey: 'names', valFraction: 0.5, imageSize: 2 });
    try {
      expect(splits.classNames).toEqual(['cat', 'dog']);
      expect(splits.test).toBeUndefined();
      expect(splits.val.imageShape).toEqual([2, 2, 3]);
      for await (const b of splits.val.batches({ batchSize: 2 })) {
        expect(b.xs.shape).toEqual([2, 2, 2, 3]);
        tf.dispose([b.xs, b.ys]);
      }
    } finally {
      await splits.dispose();
    }
  });

  it('reads a course-layout test file (test_set_* and list_classes only) as its test split', async () => {
    const file = path.join(root, 'test_signs_only.h5');
    writeH5(file, { test_set_x: images(3), test_set_y: { data: new BigInt64Array([0n, 1n, 1n]), shape: [3] }, list_classes: { data: new BigInt64Array([0n, 1n]), shape: [2] } });
    const splits = await hdf5Dataset(file);
    try {
      expect([splits.train.size, splits.val.size, splits.test?.size]).toEqual([0, 0, 3]);
      expect(splits.explicitSplits).toBe(true);
      expect(splits.classNames).toEqual(['0', '1']);
    } finally {
      await splits.dispose();
    }
  });

  it('keys naming the test datasets read them as the examples, not also as a test split', async () => {
    const file = path.join(root, 'test_only.h5');
    writeH5(file, { test_set_x: images(4), test_set_y: { data: new BigInt64Array([0n, 1n, 0n, 1n]), shape: [4] } });
    const splits = await hdf5Dataset(file, { xKey: 'test_set_x', yKey: 'test_set_y', valFraction: 0.5 });
    try {
      expect(splits.test).toBeUndefined();
      expect(splits.explicitSplits).toBe(false);
      expect(splits.train.size + splits.val.size).toBe(4);
    } finally {
      await splits.dispose();
    }
  });

  it('names the file and key when a key is missing or x and y lengths differ', async () => {
    const file = path.join(root, 'bad.h5');
    writeH5(file, { train_set_x: images(3), train_set_y: { data: new BigInt64Array([0n, 1n]), shape: [2] } });
    await expect(hdf5Dataset(file)).rejects.toThrow(/bad.h5: "train_set_y" has 2 labels but the images have 3 examples/);
    await expect(hdf5Dataset(file, { xKey: 'X' })).rejects.toThrow(/bad.h5: no dataset "X" \(found: train_set_x, train_set_y\)/);
    writeH5(file, {
      train_set_x: images(2),
      train_set_y: { data: new BigInt64Array([0n, 5n]), shape: [2] },
      list_classes: { data: ['a', 'b'] },
    });
    await expect(hdf5Dataset(file)).rejects.toThrow(/"train_set_y"\[1\] = 5 is not one of the 2 classes \[a, b\]/);
    await expect(hdf5Dataset(path.join(root, 'absent.h5'))).rejects.toThrow(/Cannot open HDF5 file .*absent.h5/);
  });
});

describe('hdf5Dataset refuses bad files and labels up front', () => {
  it('refuses a numeric label far beyond the others instead of building millions of classes', async () => {
    const file = path.join(root, 'stray-label.h5');
    writeH5(file, { train_set_x: images(3), train_set_y: { data: new BigInt64Array([0n, 1n, 2_000_000n]), shape: [3] } });
    await expect(hdf5Dataset(file)).rejects.toThrow(
      /stray-label.h5: "train_set_y"\[2\] = 2000000 would make 2000001 classes from 3 distinct labels: without a "list_classes" dataset/,
    );
    writeH5(file, { train_set_x: images(2), train_set_y: { data: new Float64Array([0, 1.5]), shape: [2] } });
    await expect(hdf5Dataset(file)).rejects.toThrow(/stray-label.h5: "train_set_y"\[1\] = 1.5 is not a class index/);
    // With a class list the labels are looked up, so a large label is fine.
    writeH5(file, {
      train_set_x: images(2),
      train_set_y: { data: new BigInt64Array([0n, 2_000_000n]), shape: [2] },
      list_classes: { data: new BigInt64Array([0n, 2_000_000n]), shape: [2] },
    });
    const splits = await hdf5Dataset(file, { valFraction: 0.5 });
    expect(splits.classNames).toEqual(['0', '2000000']);
    await splits.dispose();
  });

  it('says "not an HDF5 file" or "truncated" naming the file, and rewords what HDF5 cannot read as one line', async () => {
    const good = path.join(root, 'good.h5');
    writeH5(good, { train_set_x: images(4), train_set_y: { data: new BigInt64Array([0n, 1n, 0n, 1n]), shape: [4] } });
    const bytes = await fs.readFile(good);
    const notH5 = path.join(root, 'not-h5.h5');
    await fs.writeFile(notH5, 'path,label\na.png,cat\n');
    await expect(hdf5Dataset(notH5)).rejects.toThrow(/HDF5 file .*not-h5.h5: not an HDF5 file \(no HDF5 signature\)/);
    const empty = path.join(root, 'empty.h5');
    await fs.writeFile(empty, '');
    await expect(hdf5Dataset(empty)).rejects.toThrow(/empty.h5: the file is empty/);
    const truncated = path.join(root, 'truncated.h5');
    await fs.writeFile(truncated, bytes.subarray(0, 1000));
    await expect(hdf5Dataset(truncated)).rejects.toThrow(new RegExp(`truncated.h5: truncated HDF5 file: it declares ${bytes.length} bytes but has 1000`));
    // An end-of-file address forged shorter than the file: HDF5 itself refuses it, in one line.
    expect(bytes[8]).toBe(2); // superblock v2: end-of-file address at byte 28
    const forged = Buffer.from(bytes);
    forged.writeBigUInt64LE(100n, 28);
    const forgedFile = path.join(root, 'forged.h5');
    await fs.writeFile(forgedFile, forged);
    const error = await hdf5Dataset(forgedFile).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^HDF5 file .*forged.h5: HDF5 could not read it: .*; the file is corrupt or truncated$/);
    expect(error?.message).not.toMatch(/HDF5-DIAG|\n/);
  });

  it('scales float images in [0, 1] to 0..255 with a notice, and refuses NaN pixels naming the key and image', async () => {
    const file = path.join(root, 'floats.h5');
    const unit = new Float32Array(4 * 4 * 4 * 3);
    for (let i = 0; i < 4; i++) unit.fill(i / 4, i * 48, (i + 1) * 48);
    writeH5(file, { train_set_x: { data: unit, shape: [4, 4, 4, 3], dtype: '<f' }, train_set_y: { data: new BigInt64Array([0n, 1n, 0n, 1n]), shape: [4] } });
    const warnings: string[] = [];
    const splits = await hdf5Dataset(file, { valFraction: 0.5, normalization: 'raw', onWarning: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([expect.stringMatching(/floats.h5: "train_set_x" holds float pixels in \[0, 1\]; scaling them by 255/)]);
      const means: number[] = [];
      for (const split of [splits.train, splits.val]) {
        for await (const { xs, ys } of split.batches({ batchSize: 4, shuffle: false })) {
          means.push(...tf.tidy(() => Array.from(xs.mean([1, 2, 3]).dataSync())));
          tf.dispose([xs, ys]);
        }
      }
      expect(means.map(Math.round).sort((a, b) => a - b)).toEqual([0, 64, 128, 191]);
    } finally {
      await splits.dispose();
    }
    const withNaN = Float32Array.from(unit, (v, k) => (k === 60 ? Number.NaN : v * 255));
    writeH5(file, { train_set_x: { data: withNaN, shape: [4, 4, 4, 3], dtype: '<f' }, train_set_y: { data: new BigInt64Array([0n, 1n, 0n, 1n]), shape: [4] } });
    await expect(hdf5Dataset(file)).rejects.toThrow(/floats.h5: "train_set_x"\[1\] holds NaN pixel values; the images must be finite numbers/);
  });
});
