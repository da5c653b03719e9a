import { link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomic, durable writes for files and folders, shared by model folders (here) and run folders
 * (`@resnet-ts/trainer/node`). Everything is written under a temp name beside its target, fsynced,
 * then renamed into place, and the parent folder is fsynced so the rename itself survives a power
 * cut. Temp names carry the writer's pid and start time so `removeStaleTemps` can tell a dead
 * writer's debris from a live writer's work.
 */

const TEMP_MARK = '.tmp-';
const TEMP_PATTERN = /\.tmp-(\d+)-([0-9a-z]+)-[0-9a-z]+$/;

/** `.<name>.tmp-<pid>-<ms base36>-<random>` beside `path`. */
export function tempPathFor(path: string): string {
  const stamp = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), `.${basename(path)}${TEMP_MARK}${stamp}`);
}

/** The writer pid and start time (ms) encoded in a temp name; null for other names. */
export function parseTempName(name: string): { pid: number; startedAt: number } | null {
  const match = TEMP_PATTERN.exec(name);
  return match ? { pid: Number(match[1]), startedAt: parseInt(match[2]!, 36) } : null;
}

/**
 * Flushes a file's data (fdatasync: what reading it back needs, not its times) or a folder's
 * entries (fsync) to the disk. Folders cannot be opened for fsync on Windows; that is skipped.
 */
async function syncPath(path: string, kind: 'file' | 'folder'): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (process.platform === 'win32' && (error as NodeJS.ErrnoException).code === 'EISDIR') return;
    throw error;
  }
  try {
    await (kind === 'file' ? handle.datasync() : handle.sync());
  } catch (error) {
    // Some file systems (and folders on Windows) refuse to sync a read-only handle.
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

async function listTree(folder: string, files: string[], folders: string[]): Promise<void> {
  folders.push(folder);
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) await listTree(path, files, folders);
    else if (entry.isFile()) files.push(path);
  }
}

/**
 * Flushes every file under `folder`, then every folder, so the whole tree is on disk before it is
 * renamed into place. The syncs of a step run concurrently: the file system commits them together
 * (one journal commit on ext4 instead of one per file).
 */
export async function syncTree(folder: string): Promise<void> {
  const files: string[] = [];
  const folders: string[] = [];
  await listTree(folder, files, folders);
  await Promise.all(files.map((file) => syncPath(file, 'file')));
  await Promise.all(folders.map((dir) => syncPath(dir, 'folder')));
}

/** Writes `data` to a file and fsyncs it before closing. */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Writes a file via a fsynced sibling temp file and a rename, so readers never see a partial file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await writeFileDurable(temp, data);
    await rename(temp, path);
    await syncPath(dirname(path), 'folder');
  } catch (error) {
    await rm(temp, { force: true });
    throw new Error(`${path}: cannot write (${(error as Error).message})`);
  }
}

export interface ReplaceFolderOptions {
  /**
   * Where the previous folder waits while the new one is renamed in; default `.<name>.old` beside
   * it. Readers that want to survive a crash between the two renames look there
   * (the trainer's checkpoints use `<name>.old`).
   */
  backup?: string;
  /** Prefix of the error message; default "cannot write". */
  what?: string;
}

const exists = async (path: string): Promise<boolean> => (await stat(path).catch(() => null)) !== null;

/**
 * Fills a fresh sibling temp folder with `fill`, fsyncs it, then swaps it in for `folder`. At every
 * instant a complete folder is readable at `folder` or, between the two renames, at the backup:
 * - the current folder moves to the backup (an older backup is removed first: the current folder
 *   is complete, so it is not the only copy);
 * - when there is no current folder but a backup (left by a crash), the backup is kept untouched
 *   until the new folder is in place, since it is then the only complete copy;
 * - the temp folder is renamed to `folder`, the parent fsynced, and only then the backup removed.
 */
export async function replaceFolderAtomic(folder: string, fill: (temp: string) => Promise<void>, options: ReplaceFolderOptions = {}): Promise<void> {
  const parent = dirname(folder);
  await mkdir(parent, { recursive: true });
  const temp = tempPathFor(folder);
  const backup = options.backup ?? join(parent, `.${basename(folder)}.old`);
  await mkdir(temp);
  try {
    await fill(temp);
    await syncTree(temp);
    if (await exists(folder)) {
      await rm(backup, { recursive: true, force: true });
      await rename(folder, backup);
    }
    await rename(temp, folder);
    await syncPath(parent, 'folder');
    await rm(backup, { recursive: true, force: true });
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw new Error(`${folder}: ${options.what ?? 'cannot write'} (${(error as Error).message})`);
  }
}

/** Is a process with this pid running (on this host)? EPERM means it exists but is not ours. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files and folders that writers killed mid-write left in `folder` (not
 * recursively): those whose writer pid no longer runs, and this process's own from before
 * `before` (ms since the epoch; e.g. when the caller took a lock on the folder, so none of its
 * writes is in flight). Another live process's temp is never touched. Returns the removed paths.
 */
export async function removeStaleTemps(folder: string, options: { before?: number } = {}): Promise<string[]> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of entries) {
    const temp = parseTempName(name);
    if (!temp) continue;
    const mine = temp.pid === process.pid;
    const stale = mine ? options.before !== undefined && temp.startedAt < options.before : !processAlive(temp.pid);
    if (!stale) continue;
    await rm(join(folder, name), { recursive: true, force: true });
    removed.push(join(folder, name));
  }
  return removed;
}

/**
 * Replaces `path` by a hard link to `source` (through a temp link and a rename, so `path` never
 * goes missing). False where hard links are not possible (another device, a file system without
 * them); `path` is then left as it was.
 */
export async function replaceWithHardLink(path: string, source: string): Promise<boolean> {
  const temp = tempPathFor(path);
  try {
    await link(source, temp);
  } catch {
    return false;
  }
  try {
    await rename(temp, path);
    return true;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
