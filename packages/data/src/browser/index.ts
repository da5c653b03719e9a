// Browser entry: decode with createImageBitmap + OffscreenCanvas. The batching, augmentation and
// synthetic data are the platform-neutral ones from the root entry.
export { decodeImageSource, describeSource, type BrowserImageSource, type BrowserDecodeOptions } from './decode';
export { browserImageDataset, browserImageSplits, folderFilesSplits, DEFAULT_BROWSER_IMAGE_SIZE, type LabeledSource } from './datasets';
