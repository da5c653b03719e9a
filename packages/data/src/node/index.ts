// Node-only entry: file system sources, sharp decoding in worker threads, on-disk cache.
export { imageFolder, type ImageFolderOptions, type FileDatasetSplits } from './image-folder';
export { csvManifest, type CsvManifestOptions } from './csv-manifest';
export { parseCsv, type CsvRecord } from './csv';
export { hdf5Dataset, type Hdf5DatasetOptions } from './hdf5';
export { ImageFileDecoder, DEFAULT_FILE_IMAGE_SIZE, type ImageFileEntry, type NodeDecodeOptions } from './image-file-source';
export { DecodePool, defaultWorkerCount, type DecodeTask, type ImageDecoderName } from './decode-pool';
export { DecodedImageCache } from './decoded-cache';
export { saveClassMap, loadClassMap } from './class-map-file';
