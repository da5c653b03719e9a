export { fileIO, registerFileIORouters, type FileIOOptions } from './tfjs-file-io';
export { loadClassIndexCached, type CachedClassIndexOptions } from './class-index-cache';
export {
  writeFileAtomic,
  replaceFolderAtomic,
  removeStaleTemps,
  replaceWithHardLink,
  processAlive,
  type ReplaceFolderOptions,
} from './atomic';
