import { readFile, stat } from 'node:fs/promises';
import { writeLocalFileAtomic } from '../../weights/source/local-files';
import type { HashAlgorithm } from './file-hash';

/**
 * A cached file's proof of a full hash check: `<file>.verified` holds the hash that was checked and
 * the size and modification time the file had then. A later run trusts the file without re-reading
 * it (hundreds of MiB) while all three still match; a truncated, replaced or hand-copied file
 * changes its size or mtime (or has no marker) and is hashed again in full. What this does not
 * catch is a same-size rewrite that also restores the mtime: deliberate tampering, not the
 * accidents (interrupted copies, a wrong file put in place) the check is for.
 */
interface Marker {
  algorithm: HashAlgorithm;
  hash: string;
  size: number;
  mtimeMs: number;
}

export const markerPathOf = (file: string) => `${file}.verified`;

/** Whether `file` was fully hash-checked against `hash` and has not changed since. */
export async function hasValidMarker(file: string, algorithm: HashAlgorithm, hash: string): Promise<boolean> {
  const [text, info] = await Promise.all([readFile(markerPathOf(file), 'utf8').catch(() => undefined), stat(file).catch(() => undefined)]);
  if (text === undefined || !info) return false;
  try {
    const marker = JSON.parse(text) as Partial<Marker>;
    return marker.algorithm === algorithm && marker.hash === hash.toLowerCase() && marker.size === info.size && marker.mtimeMs === info.mtimeMs;
  } catch {
    return false;
  }
}

/** Records that `file` (as it is now) has `hash`. */
export async function writeMarker(file: string, algorithm: HashAlgorithm, hash: string): Promise<void> {
  const info = await stat(file);
  const marker: Marker = { algorithm, hash: hash.toLowerCase(), size: info.size, mtimeMs: info.mtimeMs };
  await writeLocalFileAtomic(markerPathOf(file), `${JSON.stringify(marker)}\n`);
}
