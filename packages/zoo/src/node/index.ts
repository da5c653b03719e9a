export { fileIO, registerFileIORouters, type FileIOOptions } from './tfjs-file-io';
export { loadClassIndexCached, type CachedClassIndexOptions } from './class-index-cache';
export { defaultCacheDir } from './cache-dir';
export { cachedDownload, type CachedDownloadOptions } from './download/cached-download';
export type { HashAlgorithm } from './download/file-hash';
export {
  createProgressBar,
  formatDownloadProgress,
  type DownloadProgress,
  type ProgressBarOptions,
  type ProgressStream,
} from './download/download-progress';
export { imagenetWeightsFile, type ImagenetWeightsFileOptions } from './imagenet-weights-file';
export {
  writeFileAtomic,
  replaceFolderAtomic,
  removeStaleTemps,
  replaceWithHardLink,
  processAlive,
  type ReplaceFolderOptions,
} from './atomic';
export { acquireFileLock, describeLockOwner, FileLockBusyError, type FileLock, type LockOwner } from './file-lock';
