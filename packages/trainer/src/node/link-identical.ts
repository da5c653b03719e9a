import { replaceWithHardLink } from '@resnet-ts/zoo/node';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Replaces each file of `folder` that is byte-for-byte identical to the file of the same name in
 * one of `others` by a hard link to it, so a tensor stored in several places of a run folder (the
 * final model, `last` and `best` after the same epoch) takes its disk space once. Safe with the
 * atomic writes: a file is never modified in place, only replaced by a new one, so a linked file
 * keeps its content when one of its names is rewritten. Where links are impossible (another
 * device, FAT) the copy stays. Not recursive. Returns the bytes saved.
 */
export async function linkIdenticalFiles(folder: string, others: string[]): Promise<number> {
  let saved = 0;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.bin')) continue; // weights; the small JSON files are not worth it
    const path = join(folder, name);
    const info = await stat(path);
    if (!info.isFile() || info.nlink > 1) continue;
    for (const other of others) {
      const candidate = join(other, name);
      const otherInfo = await stat(candidate).catch(() => null);
      if (!otherInfo?.isFile() || otherInfo.size !== info.size) continue;
      if (!(await sameBytes(path, candidate))) continue;
      if (await replaceWithHardLink(path, candidate)) saved += info.size;
      break;
    }
  }
  return saved;
}

const CHUNK = 1 << 20;

/**
 * Whether two files of the same size hold the same bytes, read a chunk at a time: files that
 * differ (an EMA checkpoint beside the live weights) stop at the first chunk, not after two full reads.
 */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [fa, fb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const [ba, bb] = [Buffer.alloc(CHUNK), Buffer.alloc(CHUNK)];
    for (;;) {
      const [ra, rb] = await Promise.all([fa.read(ba, 0, CHUNK), fb.read(bb, 0, CHUNK)]);
      if (ra.bytesRead !== rb.bytesRead) return false;
      if (ra.bytesRead === 0) return true;
      if (!ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead))) return false;
    }
  } finally {
    await Promise.all([fa.close(), fb.close()]);
  }
}
