import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_EXTENSIONS } from '../core/class-folders';
import type { OnError } from '../core/types';

/** Where the files of a dataset may live; `allowOutsideRoot` lifts the bound. */
export interface DatasetRootOptions {
  /**
   * Read files (links, CSV paths) that resolve outside the dataset root: the image folder, or the
   * CSV manifest's folder. Default false: such an entry is an error naming it and the root (or, with
   * `onError: 'skip'`, skipped with a warning), so a link or a path in a manifest cannot make the
   * tool read any file on the machine.
   */
  allowOutsideRoot?: boolean;
}

/** A directory entry and its name, decoded from the bytes on disk. */
export interface NamedEntry {
  name: string;
  entry: Dirent<Buffer>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A byte name as text: printable ASCII as it is, every other byte as \xNN. */
function escapeName(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

/**
 * The entries of `dir` (not hidden, sorted by name for a stable order). Names are read as bytes: a
 * name that is not valid UTF-8 could not be opened again through a JS string (it would come back as
 * U+FFFD and fail as a missing file), so it is left out with a warning naming the folder and the
 * escaped name.
 */
export async function readVisibleEntries(dir: string, warn: (message: string) => void, what: string): Promise<NamedEntry[]> {
  let entries: Dirent<Buffer>[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    throw new Error(`Cannot read ${what} ${dir}: ${(error as Error).message}`);
  }
  const named: NamedEntry[] = [];
  for (const entry of entries) {
    let name: string;
    try {
      name = utf8.decode(entry.name);
    } catch {
      warn(`Skipping "${escapeName(entry.name)}" in ${dir}: its name is not valid UTF-8; rename it to read it`);
      continue;
    }
    if (!name.startsWith('.')) named.push({ name, entry });
  }
  return named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether `target` is `root` or inside it (both absolute and resolved). */
function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Bounds the files of one dataset to its root: `problem(file)` says why `file` (as the dataset names
 * it) resolves outside, through `..`, an absolute path or a link, or null when it may be read.
 */
export class DatasetRoot {
  private constructor(
    readonly root: string,
    private readonly realRoot: string,
    private readonly allowOutside: boolean,
  ) {}

  static async open(root: string, options: DatasetRootOptions = {}): Promise<DatasetRoot> {
    const resolved = path.resolve(root);
    const real = await fs.realpath(resolved).catch(() => resolved);
    return new DatasetRoot(resolved, real, options.allowOutsideRoot === true);
  }

  /** Whether `file` may be read; when not, throws (`onError: 'throw'`) or warns and answers false. */
  async allows(file: string, onError: OnError, warn: (message: string) => void): Promise<boolean> {
    const problem = await this.problem(file);
    if (problem === null) return true;
    if (onError !== 'skip') throw new Error(problem);
    warn(`Skipping ${problem}`);
    return false;
  }

  async problem(file: string): Promise<string | null> {
    if (this.allowOutside) return null;
    const resolved = path.resolve(this.root, file);
    if (!isInside(resolved, this.root) && !isInside(resolved, this.realRoot)) {
      return `${file} is outside the dataset root ${this.root}; move it into the dataset, or pass allowOutsideRoot: true (--allow-outside-root) to read it`;
    }
    // A missing file fails later, when it is loaded, naming it.
    const real = await fs.realpath(resolved).catch(() => null);
    if (real !== null && !isInside(real, this.realRoot)) {
      return `${file} links to ${real}, outside the dataset root ${this.root}; move it into the dataset, or pass allowOutsideRoot: true (--allow-outside-root) to follow it`;
    }
    return null;
  }
}

export interface ListImagesOptions {
  /** File extensions treated as images (lower case, with dot). Default IMAGE_EXTENSIONS. */
  extensions?: readonly string[];
  /** Receives the names left out (not valid UTF-8). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** What the dataset sources add: links must resolve inside `root`, else an error, or with `onError: 'skip'` a warning. */
interface BoundedListOptions extends ListImagesOptions {
  root?: DatasetRoot;
  onError?: OnError;
}

/**
 * All image files under `dir`, recursively (hidden entries skipped, links to files kept, links to
 * folders not followed), sorted by name, as paths joined to `dir`.
 */
export function listImagesUnder(dir: string, options: ListImagesOptions = {}): Promise<string[]> {
  return walkImages(dir, options);
}

/** {@link listImagesUnder} for a dataset: links that resolve outside `options.root` are refused. */
export async function walkImages(dir: string, options: BoundedListOptions): Promise<string[]> {
  const extensions = new Set((options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const walk = async (folder: string): Promise<string[]> => {
    const files: string[] = [];
    for (const { name, entry } of await readVisibleEntries(folder, warn, 'folder')) {
      const full = path.join(folder, name);
      if (entry.isDirectory()) files.push(...(await walk(full)));
      else if (!extensions.has(path.extname(name).toLowerCase())) continue;
      else if (entry.isSymbolicLink() && options.root && !(await options.root.allows(full, options.onError ?? 'throw', warn))) continue;
      else files.push(full);
    }
    return files;
  };
  return walk(dir);
}
