import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const suffix = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Writes a file via a sibling temp file and a rename, so readers never see a partial file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.tmp-${suffix()}`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new Error(`${path}: cannot write (${(error as Error).message})`);
  }
}

/**
 * Fills a fresh sibling temp folder with `fill`, then swaps it in for `folder` with renames.
 * A crash leaves either the old folder, the new one, or (between the two renames) the old one
 * under `<folder>.old`, which `readableFolder` finds.
 */
export async function replaceFolderAtomic(folder: string, fill: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(folder), { recursive: true });
  const temp = `${folder}.tmp-${suffix()}`;
  const old = `${folder}.old`;
  await mkdir(temp);
  try {
    await fill(temp);
    await rm(old, { recursive: true, force: true });
    await rename(folder, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(temp, folder);
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`${folder}: cannot write the checkpoint (${(error as Error).message})`);
  }
}
