import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvManifest, imageFolder, listImagesUnder } from '../src/node/index';
import { tempDir, writeSolid } from './fixtures';

let root: string;
/** An image outside every dataset below (what /etc/passwd stands for). */
let outsider: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempDir('root');
  outsider = path.join(root, 'elsewhere', 'secret.png');
  await writeSolid(outsider, 10, 10, [255, 0, 0]);
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function countImages(dataset: { batches(o: { batchSize: number }): AsyncIterableIterator<{ xs: tf.Tensor; ys: tf.Tensor }> }): Promise<number> {
  let count = 0;
  for await (const { xs, ys } of dataset.batches({ batchSize: 8 })) {
    count += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  return count;
}

describe('file names that are not valid UTF-8', () => {
  it('are left out with a warning naming the folder and the escaped name, never a mangled missing file', async () => {
    const dir = path.join(root, 'latin1');
    for (const c of ['a', 'b']) for (let i = 0; i < 2; i++) await writeSolid(path.join(dir, c, `${i}.png`), 10, 10, [40 * i, 0, 0]);
    // "caf\xe9.png": Latin-1 bytes, which no JS string can name again.
    const latin1 = Buffer.concat([Buffer.from(path.join(dir, 'a', 'caf')), Buffer.from([0xe9]), Buffer.from('.png')]);
    await fs.copyFile(path.join(dir, 'a', '0.png'), latin1);
    const warnings: string[] = [];
    const splits = await imageFolder(dir, { imageSize: 8, workers: 1, valFraction: 0.5, onWarning: (m) => warnings.push(m) });
    try {
      expect(warnings).toEqual([`Skipping "caf\\xe9.png" in ${path.join(dir, 'a')}: its name is not valid UTF-8; rename it to read it`]);
      expect(splits.train.size + splits.val.size).toBe(4);
      expect((await countImages(splits.train)) + (await countImages(splits.val))).toBe(4);
    } finally {
      await splits.dispose();
    }
    const listed: string[] = [];
    expect(await listImagesUnder(dir, { onWarning: (m) => listed.push(m) })).toHaveLength(4);
    expect(listed).toHaveLength(1);
  });
});

describe('files outside the dataset root', () => {
  it('refuses a link out of an image folder naming the entry and the root, unless allowOutsideRoot', async () => {
    const dir = path.join(root, 'linked');
    for (const c of ['a', 'b']) for (let i = 0; i < 2; i++) await writeSolid(path.join(dir, c, `${i}.png`), 10, 10, [0, 40 * i, 0]);
    await fs.symlink(outsider, path.join(dir, 'a', 'passwd.png'));
    // A link that stays inside the dataset is fine.
    await fs.symlink(path.join(dir, 'b', '0.png'), path.join(dir, 'a', 'inside.png'));
    const link = path.join(dir, 'a', 'passwd.png');
    await expect(imageFolder(dir, { workers: 1 })).rejects.toThrow(`${link} links to ${await fs.realpath(outsider)}, outside the dataset root ${dir}`);

    const warnings: string[] = [];
    const skipping = await imageFolder(dir, { workers: 1, valFraction: 0.25, onError: 'skip', onWarning: (m) => warnings.push(m) });
    expect(skipping.train.size + skipping.val.size).toBe(5);
    expect(warnings).toEqual([expect.stringMatching(/^Skipping .*passwd.png links to .*, outside the dataset root/)]);
    await skipping.dispose();

    const allowed = await imageFolder(dir, { workers: 1, valFraction: 0.25, allowOutsideRoot: true });
    expect(allowed.train.size + allowed.val.size).toBe(6);
    await allowed.dispose();
  });

  it('refuses a class folder that links out of the image folder', async () => {
    const dir = path.join(root, 'linked-class');
    await writeSolid(path.join(dir, 'a', '0.png'), 10, 10, [1, 2, 3]);
    await fs.symlink(path.dirname(outsider), path.join(dir, 'b'));
    await expect(imageFolder(dir, { workers: 1 })).rejects.toThrow(new RegExp(`${path.join(dir, 'b')} links to .*elsewhere, outside the dataset root ${dir}`));
  });

  it('refuses absolute and ../ CSV paths and links out of the CSV folder, naming the line, unless allowOutsideRoot', async () => {
    const dir = path.join(root, 'manifest');
    for (let i = 0; i < 4; i++) await writeSolid(path.join(dir, 'img', `${i}.png`), 10, 10, [0, 0, 40 * i]);
    await fs.symlink(outsider, path.join(dir, 'img', 'link.png'));
    const csv = path.join(dir, 'labels.csv');
    const rows = ['img/0.png,cat', 'img/1.png,cat', 'img/2.png,dog', 'img/3.png,dog'];
    for (const [bad, message] of [
      [outsider, `${csv} line 6: ${outsider} is outside the dataset root ${dir}`],
      ['../elsewhere/secret.png', `${csv} line 6: ../elsewhere/secret.png is outside the dataset root ${dir}`],
      ['img/link.png', `${csv} line 6: img/link.png links to ${await fs.realpath(outsider)}, outside the dataset root ${dir}`],
    ]) {
      await fs.writeFile(csv, ['path,label', ...rows, `${bad},dog`].join('\n'));
      await expect(csvManifest(csv, { workers: 1 })).rejects.toThrow(message);
    }
    const warnings: string[] = [];
    const skipping = await csvManifest(csv, { workers: 1, valFraction: 0.25, onError: 'skip', onWarning: (m) => warnings.push(m) });
    expect(skipping.train.size + skipping.val.size).toBe(4);
    expect(warnings).toHaveLength(1);
    await skipping.dispose();
    await fs.writeFile(csv, ['path,label', ...rows, `${outsider},dog`].join('\n'));
    const allowed = await csvManifest(csv, { workers: 1, valFraction: 0.25, imageSize: 8, allowOutsideRoot: true });
    expect((await countImages(allowed.train)) + (await countImages(allowed.val))).toBe(5);
    await allowed.dispose();
  });
});
