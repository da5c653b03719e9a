import { unlinkSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { processAlive } from './atomic';

/**
 * A lock file (created with O_EXCL, holding its owner's pid, host and start time) shared by run
 * folders (`@resnet-ts/trainer/node`'s `run.lock`) and the download cache (`<file>.lock`).
 */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

export interface FileLock {
  /** When this process took the lock (ms since the epoch). */
  readonly takenAt: number;
  /** Removes the lock file (once; later calls do nothing). */
  release(): Promise<void>;
}

/** The lock is held by a live process, or by one on another host (whose pid cannot be checked). */
export class FileLockBusyError extends Error {
  override readonly name = 'FileLockBusyError';

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    super(`${path} is held by ${describeLockOwner(owner)}`);
  }
}

export const describeLockOwner = (owner: LockOwner) => `pid ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}`;

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.hostname === 'string' ? (owner as LockOwner) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { pid: 0, hostname: '(unreadable lock file)', startedAt: '?' };
  }
}

/** Creates the lock file with O_EXCL: exactly one of several racing processes succeeds. */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(JSON.stringify(owner));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the lock file at `path`. A lock left by a process that no longer runs on this host
 * (killed with SIGKILL, a crash) is taken over, calling `onTakeover` with its owner; a live owner,
 * or an owner on another host, is a {@link FileLockBusyError}. The lock is released by `release()`
 * and, should the process exit without it, on process exit.
 */
export async function acquireFileLock(path: string, onTakeover: (stale: LockOwner) => void = () => undefined): Promise<FileLock> {
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; !(await tryCreate(path, me)); attempt++) {
    const owner = await readOwner(path);
    if (!owner) continue; // released in between: try again
    const stale = owner.hostname === me.hostname && !processAlive(owner.pid);
    if (!stale || attempt >= 3) throw new FileLockBusyError(path, owner);
    // Move the stale lock aside and check it is the one we judged: a racing process may have
    // taken it over already, in which case its fresh lock goes back.
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch {
      continue;
    }
    const moved = await readOwner(aside);
    if (moved && moved.pid === owner.pid && moved.startedAt === owner.startedAt) {
      await rm(aside, { force: true });
      onTakeover(owner);
    } else {
      await rename(aside, path).catch(() => rm(aside, { force: true }));
    }
  }
  let held = true;
  const onExit = () => {
    if (!held) return;
    held = false;
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  return {
    takenAt: Date.parse(me.startedAt),
    async release() {
      process.off('exit', onExit);
      if (!held) return;
      held = false;
      await rm(path, { force: true });
    },
  };
}
