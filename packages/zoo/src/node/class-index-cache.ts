import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KERAS_CLASS_INDEX_URL, loadClassIndex, parseClassIndex, type ClassIndex, type ParsedClassIndex } from '../imagenet/class-index';
import { readBinarySource } from '../weights/source/binary-source';
import { writeLocalFileAtomic } from '../weights/source/local-files';

export interface CachedClassIndexOptions {
  /** Where downloaded class indexes are kept. Default `~/.cache/resnet-ts`. */
  cacheDir?: string;
  /** The fetch used for downloads (default: global fetch). */
  fetch?: typeof fetch;
}

export const DEFAULT_CACHE_DIR = join(homedir(), '.cache', 'resnet-ts');

/** Cache file of a URL: its base name plus a short hash of the whole URL (two URLs never collide). */
function cacheFileFor(url: URL, cacheDir: string): string {
  const base = url.pathname.split('/').pop()?.replace(/\.json$/i, '').replace(/[^\w.-]/g, '_') || 'class_index';
  const hash = createHash('sha256').update(url.href).digest('hex').slice(0, 12);
  return join(cacheDir, `${base}-${hash}.json`);
}

/**
 * Like Keras: a class index from a URL is downloaded once and read from the cache afterwards
 * (default: Keras's published `imagenet_class_index.json`). Local paths and objects are read directly.
 */
export async function loadClassIndexCached(
  source: ClassIndex | string | URL = KERAS_CLASS_INDEX_URL,
  options: CachedClassIndexOptions = {},
): Promise<ParsedClassIndex> {
  const text = source instanceof URL ? source.href : source;
  if (typeof text !== 'string' || !/^https?:\/\//i.test(text)) return loadClassIndex(source, options);
  const url = new URL(text);
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const cacheFile = cacheFileFor(url, cacheDir);
  const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
  if (cached !== undefined) return parseClassIndex(JSON.parse(cached), cacheFile);
  let bytes: Uint8Array;
  try {
    bytes = await readBinarySource(url.href, options);
  } catch (error) {
    throw new Error(`${(error as Error).message}. Pass a local copy instead: loadClassIndexCached('/path/to/imagenet_class_index.json')`);
  }
  const body = new TextDecoder().decode(bytes);
  let parsed: ParsedClassIndex;
  try {
    parsed = parseClassIndex(JSON.parse(body), url.href);
  } catch (error) {
    throw new Error(`${url.href}: not a class index (${(error as Error).message}); nothing was cached`);
  }
  await mkdir(cacheDir, { recursive: true });
  await writeLocalFileAtomic(cacheFile, body);
  return parsed;
}
