import type { ExampleSource } from '../core/example-source';
import { resolveImageSize } from '../core/pipeline';
import type { FitMode } from '../core/types';
import { DecodedImageCache } from './decoded-cache';
import { DecodePool } from './decode-pool';

/** Decoding options shared by every file-based Node source. */
export interface NodeDecodeOptions {
  /** Decode worker threads. Default: cores - 1, between 1 and 4. */
  workers?: number;
  /** Directory of the on-disk cache of decoded + resized images. Default: no cache. */
  cacheDir?: string;
  /** Images with a side shorter than this many pixels are errors (likely broken). Default 8. */
  minSide?: number;
  /** Images with more pixels are errors, checked from the header before decoding. Default 16384 * 16384. */
  maxPixels?: number;
}

export interface ImageFileEntry {
  path: string;
  label: number;
  /** Where the entry came from, when it is not just the path (e.g. "labels.csv line 4 (a.jpg)"). */
  where?: string;
}

export const DEFAULT_FILE_IMAGE_SIZE = 224;

/**
 * Shared decoding machinery of the file sources: one worker pool and one cache for all splits.
 * `dispose` stops the workers; the next load starts them again.
 */
export class ImageFileDecoder {
  readonly pool: DecodePool;
  readonly cache: DecodedImageCache | null;
  readonly width: number;
  readonly height: number;
  readonly fit: FitMode;
  private readonly minSide: number;
  private readonly maxPixels: number;

  constructor(options: NodeDecodeOptions & { imageSize?: number | [number, number]; fit?: FitMode }) {
    [this.height, this.width] = resolveImageSize(options.imageSize, DEFAULT_FILE_IMAGE_SIZE);
    this.fit = options.fit ?? 'stretch';
    this.pool = new DecodePool(options.workers);
    this.cache = options.cacheDir ? new DecodedImageCache(options.cacheDir) : null;
    this.minSide = options.minSide ?? 8;
    this.maxPixels = options.maxPixels ?? 16384 * 16384;
  }

  async decode(file: string): Promise<Uint8Array> {
    const { width, height, fit } = this;
    let key: string | null = null;
    if (this.cache) {
      try {
        key = await this.cache.key(file, width, height, fit);
      } catch (error) {
        throw new Error(`cannot read file (${(error as Error).message})`);
      }
      const hit = await this.cache.get(key, width * height * 3);
      if (hit) return hit;
    }
    const data = await this.pool.decode({ path: file, width, height, fit, minSide: this.minSide, maxPixels: this.maxPixels });
    if (this.cache && key) await this.cache.put(key, data);
    return data;
  }

  source(entries: readonly ImageFileEntry[]): ExampleSource {
    return {
      size: entries.length,
      label: (i) => entries[i].label,
      describe: (i) => entries[i].where ?? entries[i].path,
      load: async (i) => ({ data: await this.decode(entries[i].path), width: this.width, height: this.height }),
      dispose: () => this.pool.terminate(),
    };
  }
}
