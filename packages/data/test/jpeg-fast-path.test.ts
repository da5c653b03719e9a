import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DecodePool } from '../src/node/decode-pool';
import { tempDir } from './fixtures';

const signsTrain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/datasets/signs/train');
const hasSigns = existsSync(signsTrain);
if (!hasSigns) console.warn(`jpeg-fast-path: ${signsTrain} is missing; the SIGNS comparison is skipped`);

let root: string;
let pool: DecodePool;
const [width, height] = [24, 16];

/** What the worker's sharp pipeline makes of a file: the reference for the fast path. */
async function sharpPixels(file: string, w: number, h: number): Promise<Uint8Array> {
  const data = await sharp(file).rotate().flatten({ background: '#ffffff' }).toColourspace('srgb').resize(w, h, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return new Uint8Array(data);
}

const decode = (file: string, w = width, h = height) => pool.decode({ path: file, width: w, height: h, fit: 'stretch', minSide: 1, maxPixels: 1e8 });

beforeAll(async () => {
  root = await tempDir('jpeg');
  // Noise, so that every DCT coefficient and chroma sample matters.
  const noise = Buffer.from(Array.from({ length: width * height * 3 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 251));
  const image = () => sharp(noise, { raw: { width, height, channels: 3 } });
  await image().jpeg({ quality: 80 }).toFile(path.join(root, 'baseline-420.jpg'));
  await image().jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toFile(path.join(root, 'baseline-444.jpg'));
  await image().jpeg({ progressive: true }).toFile(path.join(root, 'progressive.jpg'));
  await image().grayscale().jpeg().toFile(path.join(root, 'gray.jpg'));
  // EXIF orientation 6 (rotate 90): not plain, sharp must apply it.
  await image().withMetadata({ orientation: 6 }).jpeg().toFile(path.join(root, 'rotated.jpg'));
  const whole = await fs.readFile(path.join(root, 'baseline-420.jpg'));
  await fs.writeFile(path.join(root, 'truncated.jpg'), whole.subarray(0, whole.length - 40));
});

afterEach(() => pool.terminate());
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('plain JPEGs at the target size', () => {
  it('decode with wasm libjpeg-turbo to exactly the pixels sharp gives', async () => {
    pool = new DecodePool(1);
    for (const name of ['baseline-420.jpg', 'baseline-444.jpg', 'progressive.jpg', 'gray.jpg']) {
      const file = path.join(root, name);
      expect(Array.from(await decode(file)), name).toEqual(Array.from(await sharpPixels(file, width, height)));
    }
    expect(pool.decodedBy).toEqual({ sharp: 0, wasmJpeg: 4 });
  });

  it('leave resizing, EXIF orientation and damage to sharp', async () => {
    pool = new DecodePool(1);
    // Another size: resized by sharp.
    const resized = path.join(root, 'baseline-420.jpg');
    expect(Array.from(await decode(resized, 12, 8))).toEqual(Array.from(await sharpPixels(resized, 12, 8)));
    // Stored 24x16 but shown 16x24: sharp rotates it.
    const rotated = path.join(root, 'rotated.jpg');
    expect(Array.from(await decode(rotated, height, width))).toEqual(Array.from(await sharpPixels(rotated, height, width)));
    // libjpeg would fill in a truncated scan; sharp refuses the file.
    await expect(decode(path.join(root, 'truncated.jpg'))).rejects.toThrow(/cannot decode image/);
    expect(pool.decodedBy.wasmJpeg).toBe(0);
  });

  it.skipIf(!hasSigns)('give the same pixels as sharp on SIGNS photos', async () => {
    pool = new DecodePool(1);
    const files = readdirSync(path.join(signsTrain, '2')).slice(0, 40).map((f) => path.join(signsTrain, '2', f));
    for (const file of files) expect(Array.from(await decode(file, 64, 64))).toEqual(Array.from(await sharpPixels(file, 64, 64)));
    expect(pool.decodedBy).toEqual({ sharp: 0, wasmJpeg: files.length });
  });
});
