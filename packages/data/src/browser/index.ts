// Browser entry: decode with createImageBitmap + OffscreenCanvas. The batching, augmentation and
// synthetic data are the platform-neutral ones from the root entry.
export type { BrowserImageSource } from './decode';
export { browserImageDataset, browserImageSplits, folderFilesSplits, type LabeledSource } from './datasets';
