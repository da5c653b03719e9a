import { imagenetWeightsSource } from '../weights/imagenet-weight-files';
import { cachedDownload, type CachedDownloadOptions } from './download/cached-download';

export interface ImagenetWeightsFileOptions extends Pick<CachedDownloadOptions, 'cacheDir' | 'fetch' | 'onProgress'> {
  /** The file with the `predictions` classifier (default) or without it (`_notop`, for another head). */
  includeTop?: boolean;
  /** Where the files are published (default Keras's); for a mirror. */
  baseUrl?: string;
}

/**
 * The local path of Keras's ImageNet weights for `variant` (resnet50, resnet101, resnet152 and
 * their v2), downloaded into `<cache>/models/` on first use like `keras.applications` does, and
 * hash-checked against Keras's table. Offline, the error names the URL and the exact path to put
 * the file at by hand. Load it with `createPretrainedModel(variant, { weights: path })`.
 */
export async function imagenetWeightsFile(variant: string, options: ImagenetWeightsFileOptions = {}): Promise<string> {
  const { includeTop, baseUrl, ...download } = options;
  const source = imagenetWeightsSource(variant, { includeTop, baseUrl });
  return cachedDownload({ ...download, url: source.url, fileName: source.fileName, fileHash: source.fileHash, hashAlgorithm: source.hashAlgorithm, cacheSubdir: 'models' });
}
