import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { defaultCacheDir } from '../cache-dir';
import { acquireFileLock, describeLockOwner, FileLockBusyError, type FileLock } from '../file-lock';
import type { DownloadProgress } from './download-progress';
import { DownloadFailure, downloadToPartial } from './download-to-partial';
import { hashAlgorithmOf, hashFile, type HashAlgorithm } from './file-hash';
import { hasValidMarker, markerPathOf, writeMarker } from './verified-marker';

export interface CachedDownloadOptions {
  /** The http(s) URL of the file. */
  url: string;
  /** The hex hash of the whole file; checked before the file is used. */
  fileHash: string;
  /** `'auto'` (default) decides by length like Keras's `get_file`: 64 digits SHA-256, 32 MD5. */
  hashAlgorithm?: HashAlgorithm | 'auto';
  /** The file's name in the cache, e.g. `resnet50_weights_tf_dim_ordering_tf_kernels.h5`. */
  fileName: string;
  /** The cache folder. Default `defaultCacheDir()`: `$RESNET_TS_CACHE`, else `$XDG_CACHE_HOME/resnet-ts`, else `~/.cache/resnet-ts`. */
  cacheDir?: string;
  /** A folder inside the cache (Keras's `cache_subdir`), e.g. `'models'`. */
  cacheSubdir?: string;
  /** The fetch used for the download (default: global fetch). */
  fetch?: typeof fetch;
  /** Called after every chunk written; `createProgressBar()` draws it. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Keras's `get_file`, for Node: the path of `fileName` in the cache, downloaded from `url` first
 * when it is not there or does not match `fileHash`. The download goes to `<file>.partial` and is
 * resumed from there after an interruption (HTTP Range); the whole file is hashed before it is
 * renamed into place, so the cache never holds a file with the wrong hash. A file already in the
 * cache is trusted without re-reading it while its `.verified` marker (hash, size, mtime from its
 * last full check) matches; otherwise it is hashed in full again (a file put there by hand).
 * Processes downloading the same file take turns on `<file>.lock` (a lock left by a dead process
 * is taken over): the second waits, then finds the first one's file in the cache.
 */
export async function cachedDownload(options: CachedDownloadOptions): Promise<string> {
  const algorithm = hashAlgorithmOf(options.fileHash, options.hashAlgorithm);
  const expected = options.fileHash.toLowerCase();
  if (basename(options.fileName) !== options.fileName || options.fileName.startsWith('.')) {
    throw new Error(`cachedDownload: fileName must be a plain file name, got ${JSON.stringify(options.fileName)}`);
  }
  const folder = join(options.cacheDir ?? defaultCacheDir(), options.cacheSubdir ?? '');
  const target = join(folder, options.fileName);
  const byHand = `download ${options.url} by hand and put it at ${target} (its ${algorithm} must be ${expected})`;

  const cached = await checkCachedFile(target, algorithm, expected);
  if (cached.ok) return target;

  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new Error(`${folder}: cannot create the cache folder (${(error as Error).message}); set RESNET_TS_CACHE to a writable folder`);
  }
  const lock = await lockDownload(`${target}.lock`);
  try {
    // Another process may have cached it while this one waited for the lock.
    if ((await checkCachedFile(target, algorithm, expected)).ok) return target;
    return await downloadIntoCache(options, target, algorithm, expected, byHand, cached.actual);
  } finally {
    await lock.release();
  }
}

const LOCK_POLL_MS = 200;

/** Takes the download lock, waiting while a live process on this host holds it. */
async function lockDownload(path: string): Promise<FileLock> {
  for (;;) {
    try {
      return await acquireFileLock(path);
    } catch (error) {
      if (!(error instanceof FileLockBusyError)) throw error;
      if (error.owner.hostname !== hostname()) {
        throw new Error(`${path}: another host is downloading this file (${describeLockOwner(error.owner)}); wait for it, or delete ${path} if it no longer runs`);
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
}

/** Downloads into `<target>.partial` (resumed when one is there), checks the hash, renames it into place. */
async function downloadIntoCache(options: CachedDownloadOptions, target: string, algorithm: HashAlgorithm, expected: string, byHand: string, cachedActual?: string): Promise<string> {
  const partialPath = `${target}.partial`;
  try {
    await downloadToPartial({ url: options.url, partialPath, fileName: options.fileName, fetch: options.fetch ?? globalThis.fetch, onProgress: options.onProgress });
  } catch (error) {
    if (!(error instanceof DownloadFailure)) throw error;
    const stale = cachedActual ? ` The cached ${target} has ${algorithm} ${cachedActual}, not ${expected}.` : '';
    const hint = error.offline ? `Offline? ${byHand[0].toUpperCase()}${byHand.slice(1)}.` : `Run again to retry, or ${byHand}.`;
    throw new Error(`${error.message}.${stale} ${hint}`);
  }
  const actual = await hashFile(partialPath, algorithm);
  if (actual !== expected) {
    // A complete body with the wrong hash: resuming onto it cannot help, so nothing is kept.
    await rm(partialPath, { force: true });
    throw new Error(
      `${options.url}: the downloaded file has ${algorithm} ${actual}, expected ${expected}; it was deleted and nothing was cached. ` +
        `Run again to retry, or ${byHand}.`,
    );
  }
  await rm(markerPathOf(target), { force: true });
  await rename(partialPath, target);
  await writeMarker(target, algorithm, expected);
  return target;
}

/** Whether the cached file is there and good; `actual` is its hash when it is there but wrong. */
async function checkCachedFile(target: string, algorithm: HashAlgorithm, expected: string): Promise<{ ok: boolean; actual?: string }> {
  const info = await stat(target).catch(() => undefined);
  if (!info) return { ok: false };
  if (!info.isFile()) throw new Error(`${target}: is not a file; remove it so the download can go there`);
  if (await hasValidMarker(target, algorithm, expected)) return { ok: true };
  const actual = await hashFile(target, algorithm);
  if (actual !== expected) return { ok: false, actual };
  // Best effort: a read-only cache still serves its verified file, hashed again next time.
  await writeMarker(target, algorithm, expected).catch(() => undefined);
  return { ok: true };
}
