import { splitSource } from '../core/arrays';
import { groupByClassFolder } from '../core/class-folders';
import type { ExampleSource } from '../core/example-source';
import { PipelineDataset, resolveImageSize, type PipelineOptions } from '../core/pipeline';
import type { SplitOptions } from '../core/split';
import type { DatasetSplits } from '../core/types';
import { decodeImageSource, describeSource, type BrowserImageSource } from './decode';

export interface LabeledSource {
  source: BrowserImageSource;
  /** Class index into `classNames`. */
  label: number;
}

/** Default output size in the browser when none is given. */
export const DEFAULT_BROWSER_IMAGE_SIZE = 224;

/** Sources are decoded when their batch is prepared, so only the prefetched batches are held as pixels. */
function browserSource(items: readonly LabeledSource[], options: PipelineOptions): ExampleSource {
  const [height, width] = resolveImageSize(options.imageSize, DEFAULT_BROWSER_IMAGE_SIZE);
  return {
    size: items.length,
    label: (i) => items[i].label,
    describe: (i) => describeSource(items[i].source, i),
    load: (i) => decodeImageSource(items[i].source, { width, height, fit: options.fit }),
  };
}

/** One dataset over browser image sources (files, blobs, <img>, canvases, video frames). */
export function browserImageDataset(
  items: readonly LabeledSource[],
  classNames: readonly string[],
  options: PipelineOptions & { training?: boolean } = {},
): PipelineDataset {
  return new PipelineDataset(browserSource(items, options), classNames, {
    ...options,
    training: options.training ?? true,
    defaultImageSize: DEFAULT_BROWSER_IMAGE_SIZE,
  });
}

/** Stratified seeded train / val (/ test) splits over browser image sources. */
export function browserImageSplits(
  items: readonly LabeledSource[],
  classNames: readonly string[],
  options: PipelineOptions & SplitOptions = {},
): DatasetSplits<PipelineDataset> {
  return splitSource(browserSource(items, options), classNames, options, DEFAULT_BROWSER_IMAGE_SIZE);
}

/**
 * Splits from the files of a folder picker (`<input type="file" webkitdirectory>`): each file's
 * class is the folder under the picked one in `webkitRelativePath` ("photos/cat/1.jpg" -> "cat").
 */
export function folderFilesSplits(
  files: readonly File[],
  options: PipelineOptions & SplitOptions = {},
): DatasetSplits<PipelineDataset> & { classNames: string[] } {
  const { classNames, entries } = groupByClassFolder(files, (f) => f.webkitRelativePath || f.name);
  if (entries.length === 0) throw new Error('No images in class folders: pick a folder laid out as <root>/<class>/<image files>');
  const splits = browserImageSplits(entries.map((e) => ({ source: e.item, label: e.label })), classNames, options);
  return { ...splits, classNames };
}
