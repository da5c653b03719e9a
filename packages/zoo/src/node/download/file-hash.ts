import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type HashAlgorithm = 'md5' | 'sha256';

/**
 * The algorithm of a hex file hash, as Keras's `get_file(hash_algorithm='auto')` decides it: 64
 * digits are SHA-256, 32 are MD5 (what Keras's application weights use). Anything else is an error.
 */
export function hashAlgorithmOf(fileHash: string, algorithm: HashAlgorithm | 'auto' = 'auto'): HashAlgorithm {
  if (!/^[0-9a-f]+$/i.test(fileHash)) throw new Error(`file hash ${JSON.stringify(fileHash)}: expected hex digits`);
  if (algorithm !== 'auto') return algorithm;
  if (fileHash.length === 64) return 'sha256';
  if (fileHash.length === 32) return 'md5';
  throw new Error(`file hash ${fileHash}: ${fileHash.length} hex digits, expected 64 (SHA-256) or 32 (MD5)`);
}

/** The hex hash of a whole file, read as a stream (weight files are hundreds of MiB). */
export async function hashFile(path: string, algorithm: HashAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
