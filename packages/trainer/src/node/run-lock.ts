import { acquireFileLock, describeLockOwner, FileLockBusyError, type FileLock } from '@resnet-ts/zoo/node';
import { join } from 'node:path';

/** The lock file of a run folder, held while a process trains into it. */
export const RUN_LOCK_FILE = 'run.lock';

export type RunLock = FileLock;

/**
 * Takes the lock of a run folder (zoo's `acquireFileLock`), so two processes never train into the
 * same folder. A lock left by a process that no longer runs on this host is taken over with a
 * notice; a live owner, or an owner on another host, is refused with an error naming the folder,
 * the owner and how to remove a lock known to be stale.
 */
export async function acquireRunLock(runDir: string, onNotice: (message: string) => void): Promise<RunLock> {
  const path = join(runDir, RUN_LOCK_FILE);
  try {
    return await acquireFileLock(path, (stale) => onNotice(`${runDir}: took over the lock of a training run that no longer runs (${describeLockOwner(stale)}).`));
  } catch (error) {
    if (!(error instanceof FileLockBusyError)) throw error;
    throw new Error(
      `${runDir} is in use by another training run (${describeLockOwner(error.owner)}; lock file ${path}). ` +
        `Wait for it to end or choose another folder; if no such process runs, delete ${path}.`,
    );
  }
}
