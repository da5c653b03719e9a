// Node-only entry: file system sources, sharp decoding in worker threads, on-disk cache.
export { imageFolder, type ImageFolderOptions, type FileDatasetSplits } from './image-folder';
export { csvManifest, type CsvManifestOptions } from './csv-manifest';
export { hdf5Dataset, MAX_IMPLIED_CLASSES, type Hdf5DatasetOptions } from './hdf5';
export { listImagesUnder, type ListImagesOptions, type DatasetRootOptions } from './dataset-files';
export { ImageFileDecoder, type ImageFileEntry, type NodeDecodeOptions } from './image-file-source';
export { SharpMissingError } from './decode-pool';
export { saveClassMap, loadClassMap } from './class-map-file';
