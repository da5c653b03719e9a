import { mkdir, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const suffix = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Writes a folder atomically: everything goes into a sibling temp folder which then replaces the
 * target with renames, so a reader sees the old model or the new one, never a mix. An existing
 * target is replaced only if it is empty or already holds a model.json (we never wipe other data).
 */
export async function writeFolderAtomic(folder: string, files: Array<{ name: string; bytes: Uint8Array | string }>): Promise<void> {
  const existing = await stat(folder).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${folder}: exists and is not a folder; choose another output path`);
  if (existing) {
    const entries = await readdir(folder);
    if (entries.length > 0 && !entries.includes('model.json')) {
      throw new Error(`${folder}: is a non-empty folder without model.json; refusing to replace it (choose an empty or new folder)`);
    }
  }
  await mkdir(dirname(folder), { recursive: true });
  const temp = join(dirname(folder), `.${basename(folder)}.tmp-${suffix()}`);
  await mkdir(temp);
  try {
    for (const file of files) await writeFile(join(temp, file.name), file.bytes);
    if (existing) {
      const old = join(dirname(folder), `.${basename(folder)}.old-${suffix()}`);
      await rename(folder, old);
      await rename(temp, folder);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, folder);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`${folder}: cannot write the model (${(error as Error).message})`);
  }
}
