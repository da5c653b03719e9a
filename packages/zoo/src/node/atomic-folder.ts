import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFolderAtomic } from './atomic';

/**
 * Writes a model folder atomically: everything goes into a sibling temp folder which then replaces
 * the target with renames (see `replaceFolderAtomic`), so a reader sees the old model or the new
 * one, never a mix. An existing target is replaced only if it is empty or already holds a
 * model.json (we never wipe other data).
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
  await replaceFolderAtomic(
    folder,
    async (temp) => {
      for (const file of files) await writeFile(join(temp, file.name), file.bytes);
    },
    { what: 'cannot write the model' },
  );
}
