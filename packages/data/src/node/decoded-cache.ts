import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FitMode } from '../core/types';

/**
 * On-disk cache of decoded and resized uint8 RGB images, so later epochs skip decoding. One file
 * per image, named by a hash of the source path, its size and mtime, and the output geometry; a
 * changed source file or image size simply misses. Writes are atomic (temp file + rename).
 */
export class DecodedImageCache {
  constructor(readonly dir: string) {}

  async key(file: string, width: number, height: number, fit: FitMode): Promise<string> {
    const stat = await fs.stat(file);
    return createHash('sha1')
      .update(`${path.resolve(file)}\0${stat.size}\0${stat.mtimeMs}\0${width}x${height}\0${fit}`)
      .digest('hex');
  }

  private fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.rgb`);
  }

  /** The cached pixels, or null on a miss (or a damaged entry of the wrong length). */
  async get(key: string, bytes: number): Promise<Uint8Array | null> {
    try {
      const buffer = await fs.readFile(this.fileFor(key));
      if (buffer.length !== bytes) return null;
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    } catch {
      return null;
    }
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const target = this.fileFor(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await fs.writeFile(temp, data);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw new Error(`Cannot write decoded-image cache ${target}: ${(error as Error).message} (check cacheDir, or leave it unset)`);
    }
  }
}
