import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { IMAGE_EXTENSIONS } from '@resnet-ts/data';

/**
 * The image files named, plus the images inside named folders (recursively, sorted by name, hidden
 * entries skipped), as absolute paths. A missing input, or no image at all, is an error naming it.
 */
export async function listImageFiles(inputs: readonly string[]): Promise<string[]> {
  const extensions = new Set(IMAGE_EXTENSIONS.map((e) => e.toLowerCase()));
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (extensions.has(extname(entry.name).toLowerCase())) out.push(full);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new Error(`${input}: no such image file or folder`);
    if (info.isDirectory()) await walk(resolve(input));
    else out.push(resolve(input));
  }
  if (out.length === 0) throw new Error(`no images found in ${inputs.join(', ')} (extensions: ${[...extensions].join(' ')})`);
  return out;
}
