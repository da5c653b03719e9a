export { fileIO, registerFileIORouters, type FileIOOptions } from './tfjs-file-io';
export { loadClassIndexCached, DEFAULT_CACHE_DIR, type CachedClassIndexOptions } from './class-index-cache';
