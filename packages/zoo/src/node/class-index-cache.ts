import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadClassIndex, parseClassIndex, type ClassIndex, type ParsedClassIndex } from '../imagenet/class-index';
import { imagenetClassIndex } from '../imagenet/imagenet-classes';
import { readBinarySource } from '../weights/source/binary-source';
import { writeLocalFileAtomic } from '../weights/source/local-files';
import { defaultCacheDir } from './cache-dir';

export interface CachedClassIndexOptions {
  /** Where downloaded class indexes are kept. Default: `defaultCacheDir()` (`$RESNET_TS_CACHE`, else `~/.cache/resnet-ts`). */
  cacheDir?: string;
  /** The fetch used for downloads (default: global fetch). */
  fetch?: typeof fetch;
}

/** Cache file of a URL: its base name plus a short hash of the whole URL (two URLs never collide). */
function cacheFileFor(url: URL, cacheDir: string): string {
  const base = url.pathname.split('/').pop()?.replace(/\.json$/i, '').replace(/[^\w.-]/g, '_') || 'class_index';
  const hash = createHash('sha256').update(url.href).digest('hex').slice(0, 12);
  return join(cacheDir, `${base}-${hash}.json`);
}

/**
 * Like Keras: a class index from a URL is downloaded once and read from the cache afterwards.
 * Local paths and objects are read directly. Without a source: the ImageNet classes shipped with
 * zoo (`imagenetClassIndex()`, the same as Keras's published `imagenet_class_index.json`).
 */
export async function loadClassIndexCached(source?: ClassIndex | string | URL, options: CachedClassIndexOptions = {}): Promise<ParsedClassIndex> {
  if (source === undefined) return imagenetClassIndex();
  const text = source instanceof URL ? source.href : source;
  if (typeof text !== 'string' || !/^https?:\/\//i.test(text)) return loadClassIndex(source, options);
  const url = new URL(text);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
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
