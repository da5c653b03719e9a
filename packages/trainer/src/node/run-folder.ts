import { removeStaleTemps } from '@resnet-ts/zoo/node';
import { mkdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { acquireRunLock, type RunLock } from './run-lock';

export interface OpenedRunFolder {
  lock: RunLock;
  /** The first folder this call created (`runDir` or a parent of it); undefined when `runDir` existed. */
  created?: string;
}

/** A clear error for a run folder that cannot be created (read-only or missing parent, a file in the way). */
function cannotCreate(runDir: string, error: NodeJS.ErrnoException): Error {
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOTDIR: 'a file is in the way',
    EEXIST: 'a file is in the way',
    ENOSPC: 'no space left on the device',
  };
  const reason = why[error.code ?? ''] ?? error.message;
  return new Error(`${runDir}: cannot create the run folder (${reason}${error.path && error.path !== runDir ? ` at ${error.path}` : ''}); choose another folder or fix its permissions.`);
}

/**
 * Opens a run folder for writing: creates it (`create`), takes its lock (`acquireRunLock`) and
 * removes what writers killed mid-write left behind (temp files and checkpoint folders of
 * processes that no longer run, or that started before this lock).
 */
export async function openRunFolder(runDir: string, options: { create: boolean; onNotice: (message: string) => void }): Promise<OpenedRunFolder> {
  let created: string | undefined;
  if (options.create) {
    const existing = await stat(runDir).catch(() => null);
    if (existing && !existing.isDirectory()) throw new Error(`${runDir}: exists and is not a folder; choose another run folder.`);
    try {
      created = await mkdir(runDir, { recursive: true });
    } catch (error) {
      throw cannotCreate(runDir, error as NodeJS.ErrnoException);
    }
  } else if (!(await stat(runDir).catch(() => null))?.isDirectory()) {
    throw new Error(`${runDir}: no such run folder.`);
  }
  let lock: RunLock;
  try {
    lock = await acquireRunLock(runDir, options.onNotice);
  } catch (error) {
    // The folder belongs to the run holding the lock (which may have filled the folder this call
    // created, in a race): take back only what is still empty, never its files.
    await removeEmptyFolders(runDir, created);
    throw error;
  }
  const removed = [
    ...(await removeStaleTemps(runDir, { before: lock.takenAt })),
    ...(await removeStaleTemps(join(runDir, 'checkpoints'), { before: lock.takenAt })),
  ];
  if (removed.length > 0) options.onNotice(`${runDir}: removed ${removed.length} unfinished write(s) of a killed run (${removed.map((p) => p.slice(runDir.length + 1)).join(', ')}).`);
  return { lock, ...(created ? { created } : {}) };
}

/**
 * Removes `runDir` and the parents of it that `openRunFolder` created (`created`), each parent only
 * while it is empty: another run may have been created beside this one in the meantime.
 */
export async function removeCreatedFolder(runDir: string, created: string | undefined): Promise<void> {
  if (!created) return;
  await rm(runDir, { recursive: true, force: true });
  await removeEmptyFolders(dirname(runDir), created);
}

/** Removes `folder` and its parents up to `created` (the first folder created), each only while it is empty. */
async function removeEmptyFolders(folder: string, created: string | undefined): Promise<void> {
  if (!created) return;
  for (let parent = folder; parent.length >= created.length && parent !== dirname(parent); parent = dirname(parent)) {
    if (!(await rmdir(parent).then(() => true, () => false))) return;
  }
}
