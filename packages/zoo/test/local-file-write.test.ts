// Files the platform-neutral entry writes in Node (saveKerasWeights, saveSafetensors, the download
// cache's markers) go through the shared durable writeFileAtomic of /node.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLocalFileAtomic } from '../src/weights/source/local-files';
import { parseTempName } from '../src/node/atomic';

const dir = mkdtempSync(join(tmpdir(), 'zoo-local-write-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeLocalFileAtomic', () => {
  it('creates the missing parent folder and leaves only the file', async () => {
    const file = join(dir, 'new', 'nested', 'weights.bin');
    await writeLocalFileAtomic(file, new Uint8Array([1, 2, 3]));
    expect(readdirSync(join(dir, 'new', 'nested'))).toEqual(['weights.bin']);
  });

  it('leaves no temp file when the rename fails, and names the target', async () => {
    const folder = join(dir, 'occupied');
    await writeLocalFileAtomic(join(folder, 'inside.txt'), 'x');
    // The target is a non-empty folder: the rename onto it fails.
    await expect(writeLocalFileAtomic(folder, 'y')).rejects.toThrow(`${folder}: cannot write`);
    expect(readdirSync(dir).filter((name) => parseTempName(name) !== null)).toEqual([]);
    expect(existsSync(join(folder, 'inside.txt'))).toBe(true);
  });
});
