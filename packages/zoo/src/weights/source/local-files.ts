/**
 * Local file access for the platform-neutral entry: in Node it loads `node:fs` lazily (the
 * specifier is a variable so browser bundlers leave it alone); elsewhere it explains what to pass.
 */

type FsPromises = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** `node:fs/promises`, loaded only when a local path is actually used. */
export async function nodeFs(what: string): Promise<FsPromises> {
  if (!isNode()) {
    throw new Error(`${what}: local paths work only in Node; in the browser pass a URL or the file's bytes`);
  }
  const specifier = 'node:fs/promises';
  return (await import(/* @vite-ignore */ specifier)) as FsPromises;
}

/** `node:path`, loaded the same way. */
export async function nodePath(what: string): Promise<NodePath> {
  if (!isNode()) throw new Error(`${what}: local paths work only in Node`);
  const specifier = 'node:path';
  return (await import(/* @vite-ignore */ specifier)) as NodePath;
}

/** Reads a whole local file; a missing file is an error naming it. */
export async function readLocalFile(path: string): Promise<Uint8Array> {
  const fs = await nodeFs(path);
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${path}: file not found`);
    if (code === 'EISDIR') throw new Error(`${path}: is a folder, expected a file`);
    throw new Error(`${path}: cannot read (${(error as Error).message})`);
  }
}

/**
 * Writes a file atomically and durably: the shared `writeFileAtomic` of `/node` (a fsynced temp
 * file beside it, a rename, the folder fsynced), so readers never see half a file, even after a
 * power cut. `/node` is loaded through the package's own name, lazily, for the same reason as
 * `node:fs` above: this entry must stay importable in the browser.
 */
export async function writeLocalFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  if (!isNode()) throw new Error(`${path}: local paths work only in Node; in the browser pass a URL or the file's bytes`);
  const specifier = '@resnet-ts/zoo/node';
  const { writeFileAtomic } = (await import(/* @vite-ignore */ specifier)) as typeof import('../../node/atomic');
  await writeFileAtomic(path, bytes);
}
