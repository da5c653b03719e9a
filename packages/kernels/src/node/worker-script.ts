import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes the pthread worker script of the threaded wasm build to a file and returns its path.
 *
 * tfjs-backend-wasm ships that script only as a string and hands it to the Emscripten runtime as a
 * `blob:` URL, which Node's `Worker` rejects. A real file works. The name carries a hash of the
 * contents, so concurrent processes share one file and a new tfjs version gets a new one; the write
 * is atomic (temp file + rename), so a reader never sees half a script.
 */
export function writeWorkerScript(contents: string, directory: string = os.tmpdir()): string {
  const digest = createHash('sha256').update(contents).digest('hex').slice(0, 16);
  const file = path.join(directory, `resnet-ts-tfjs-wasm-worker-${digest}.cjs`);
  if (fs.existsSync(file)) return file;
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
  return file;
}

/**
 * The worker source as tfjs embeds it has raw newlines inside string literals (the upstream code
 * escapes them before building its Blob); escape them the same way so the file parses.
 */
export function workerSourceFromEmbedded(embedded: string): string {
  return embedded.replace(/\n/g, '\\n');
}
