import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { linkIdenticalFiles } from '../src/node/link-identical';

let work: string;
afterAll(() => rm(work, { recursive: true, force: true }));

it('links only files whose every byte matches, reading past the first megabyte', async () => {
  work = await mkdtemp(join(tmpdir(), 'link-identical-'));
  const [folder, other] = [join(work, 'new'), join(work, 'old')];
  await Promise.all([mkdir(folder), mkdir(other)]);
  // 2.5 MB: "late" differs in its last byte only, so a comparison of the first chunks alone would link it.
  const bytes = Uint8Array.from({ length: 2.5 * 2 ** 20 }, (_, i) => (i * 31) % 251);
  const late = bytes.slice();
  late[late.length - 1] ^= 1;
  const early = bytes.slice();
  early[0] ^= 1;
  for (const [name, mine, theirs] of [['same.bin', bytes, bytes], ['late.bin', bytes, late], ['early.bin', bytes, early]] as const) {
    await writeFile(join(folder, name), mine);
    await writeFile(join(other, name), theirs);
  }
  expect(await linkIdenticalFiles(folder, [other])).toBe(bytes.length);
  const inode = async (path: string) => (await stat(path)).ino;
  expect(await inode(join(folder, 'same.bin'))).toBe(await inode(join(other, 'same.bin')));
  for (const name of ['late.bin', 'early.bin']) {
    expect(await inode(join(folder, name))).not.toBe(await inode(join(other, name)));
    expect(new Uint8Array(await readFile(join(folder, name)))).toEqual(bytes);
  }
});
