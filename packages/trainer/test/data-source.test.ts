import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng, parseRecipe, RecipeError } from '../src/index';
import { openDataSource } from '../src/node/index';

let root: string;

function writeImage(file: string, value: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodePng(new Uint8Array(12 * 12 * 3).fill(value), 12, 12, 3));
}

/** A folder of two classes, two images each, plus `extra` files. */
function folder(name: string, extra: (dir: string) => void = () => undefined): string {
  const dir = path.join(root, name);
  for (const c of ['ant', 'bee']) for (let i = 0; i < 2; i++) writeImage(path.join(dir, c, `${i}.png`), 60 * i + 20);
  extra(dir);
  return dir;
}

async function readAll(dataset: { batches(o: { batchSize: number }): AsyncIterableIterator<{ xs: tf.Tensor; ys: tf.Tensor }> }): Promise<number> {
  let count = 0;
  for await (const { xs, ys } of dataset.batches({ batchSize: 8 })) {
    count += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  return count;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(path.join(tmpdir(), 'resnet-trainer-data-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('data.onError and data.allowOutsideRoot in the recipe', () => {
  it('are recorded only when set, and other values are refused naming the key', () => {
    expect(parseRecipe({ data: { kind: 'synthetic' } }).data).not.toHaveProperty('onError');
    expect(parseRecipe({ data: { kind: 'folder', path: 'x', onError: 'skip', allowOutsideRoot: true } }).data).toMatchObject({ onError: 'skip', allowOutsideRoot: true });
    expect(() => parseRecipe({ data: { onError: 'ignore' as never } })).toThrow(RecipeError);
    expect(() => parseRecipe({ data: { onError: 'ignore' as never } })).toThrow('data.onError: "ignore" is not one of fail, skip');
  });
});

describe('openDataSource', () => {
  it("fails on an unreadable image naming it, or with onError: 'skip' leaves it out and lists it", async () => {
    const dir = folder('corrupt', (d) => writeFileSync(path.join(d, 'ant', 'broken.png'), 'not a png'));
    const spec = { kind: 'folder' as const, path: dir, imageSize: [8, 8] as [number, number], valFraction: 0.4, workers: 1 };
    const failing = await openDataSource(spec);
    await expect(Promise.all([readAll(failing.train), readAll(failing.val)])).rejects.toThrow(/broken\.png/);
    await failing.dispose();
    const skipping = await openDataSource({ ...spec, onError: 'skip' });
    try {
      expect((await readAll(skipping.train)) + (await readAll(skipping.val))).toBe(4);
      expect(skipping.skipped().map((s) => path.basename(s.where))).toEqual(['broken.png']);
    } finally {
      await skipping.dispose();
    }
  });

  it('refuses data of one class for training, naming the source, and opens it otherwise', async () => {
    const dir = path.join(root, 'one-class');
    for (let i = 0; i < 3; i++) writeImage(path.join(dir, 'ant', `${i}.png`), 10 * i);
    const spec = { kind: 'folder' as const, path: dir, imageSize: [8, 8] as [number, number], workers: 1 };
    await expect(openDataSource(spec, { training: true })).rejects.toThrow(`${dir}: training needs at least 2 classes, found only "ant"`);
    const evaluating = await openDataSource(spec);
    expect(evaluating.classNames).toEqual(['ant']);
    await evaluating.dispose();
  });

  it('refuses a link out of the folder unless allowOutsideRoot', async () => {
    const outside = path.join(root, 'outside', 'secret.png');
    writeImage(outside, 200);
    const dir = folder('linked', (d) => symlinkSync(outside, path.join(d, 'bee', 'secret.png')));
    const spec = { kind: 'folder' as const, path: dir, imageSize: [8, 8] as [number, number], workers: 1 };
    await expect(openDataSource(spec)).rejects.toThrow(/secret\.png links to .*, outside the dataset root/);
    const allowed = await openDataSource({ ...spec, allowOutsideRoot: true });
    expect(allowed.train.size + allowed.val.size).toBe(5);
    await allowed.dispose();
  });
});
