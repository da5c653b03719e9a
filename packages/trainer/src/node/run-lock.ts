import { processAlive } from '@resnet-ts/zoo/node';
import { unlinkSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The lock file of a run folder, held while a process trains into it. */
export const RUN_LOCK_FILE = 'run.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

export interface RunLock {
  /** When this process took the lock (ms since the epoch). */
  readonly takenAt: number;
  /** Removes the lock file (once; later calls do nothing). */
  release(): Promise<void>;
}

const describe = (owner: LockOwner) => `pid ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}`;

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
 * Takes the lock of a run folder, so two processes never train into the same folder. A lock left
 * by a process that no longer runs on this host (killed with SIGKILL, a crash) is taken over with
 * a notice; a live owner, or an owner on another host (whose pid cannot be checked), is refused
 * with an error naming the folder, the owner and how to remove a lock known to be stale. The lock
 * is released by `release()` and, should the process exit without it, on process exit.
 */
export async function acquireRunLock(runDir: string, onNotice: (message: string) => void): Promise<RunLock> {
  const path = join(runDir, RUN_LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; !(await tryCreate(path, me)); attempt++) {
    const owner = await readOwner(path);
    if (!owner) continue; // released in between: try again
    const stale = owner.hostname === me.hostname && !processAlive(owner.pid);
    if (!stale || attempt >= 3) {
      throw new Error(
        `${runDir} is in use by another training run (${describe(owner)}; lock file ${path}). ` +
          `Wait for it to end or choose another folder; if no such process runs, delete ${path}.`,
      );
    }
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
      onNotice(`${runDir}: took over the lock of a training run that no longer runs (${describe(owner)}).`);
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
