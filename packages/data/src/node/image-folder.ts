import path from 'node:path';
import { splitSource } from '../core/arrays';
import { subsetSource } from '../core/example-source';
import { IMAGE_EXTENSIONS } from '../core/class-folders';
import { sortClassNames } from '../core/labels';
import { PipelineDataset, type PipelineOptions } from '../core/pipeline';
import { stratifiedSplit, type SplitOptions } from '../core/split';
import type { DatasetSplits } from '../core/types';
import { DatasetRoot, walkImages, readVisibleEntries, type DatasetRootOptions } from './dataset-files';
import { DEFAULT_FILE_IMAGE_SIZE, ImageFileDecoder, type ImageFileEntry, type NodeDecodeOptions } from './image-file-source';


export interface ImageFolderOptions extends PipelineOptions, SplitOptions, NodeDecodeOptions, DatasetRootOptions {
  /** File extensions treated as images (lower case, with dot). Default IMAGE_EXTENSIONS. */
  extensions?: readonly string[];
  /** Use this class list (e.g. from a checkpoint's class map) instead of the sorted folder names. */
  classNames?: readonly string[];
}

/** Splits of a file-based source, its class list, and `dispose()` to stop its decode workers. */
export interface FileDatasetSplits extends DatasetSplits<PipelineDataset> {
  classNames: string[];
  /**
   * Whether the source itself says which example belongs to which split (split folders, a split
   * column, test keys), rather than a seeded cut of one pool of examples.
   */
  explicitSplits: boolean;
  dispose(): Promise<void>;
}

const SPLIT_FOLDERS = { train: ['train'], val: ['val', 'valid', 'validation'], test: ['test'] } as const;

/**
 * Image folder: `root/<class>/**.{jpg,png,...}` split by class with a seed, or, when `root/train`
 * exists, `root/{train,val,test}/<class>/...` as given (a missing val split is carved out of train).
 * Class names are sorted; hidden files and non-image files are ignored. Files stream from disk.
 */
export async function imageFolder(root: string, options: ImageFolderOptions = {}): Promise<FileDatasetSplits> {
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const bound = await DatasetRoot.open(root, options);
  const scanning = { ...options, root: bound, onWarning: warn };
  const top = await visibleSubfolders(root, warn);
  const splitDirs = findSplitFolders(top);
  const decoder = new ImageFileDecoder(options);
  const pipeline = { ...options, imageSize: [decoder.height, decoder.width] as [number, number] };

  if (!splitDirs.train) {
    const scan = await scanClassFolders(root, top, scanning);
    const splits = splitSource(decoder.source(scan.entries), scan.classNames, pipeline, DEFAULT_FILE_IMAGE_SIZE);
    return { ...splits, classNames: scan.classNames, explicitSplits: false, dispose: () => decoder.pool.terminate() };
  }

  const trainRoot = path.join(root, splitDirs.train);
  const scans: Record<string, { root: string; folders: string[] }> = { train: { root: trainRoot, folders: await visibleSubfolders(trainRoot, warn) } };
  for (const split of ['val', 'test'] as const) {
    const dir = splitDirs[split];
    if (dir) scans[split] = { root: path.join(root, dir), folders: await visibleSubfolders(path.join(root, dir), warn) };
  }
  const classNames = options.classNames ? [...options.classNames] : sortClassNames(Object.values(scans).flatMap((s) => s.folders));
  const scanned: Record<string, ImageFileEntry[]> = {};
  for (const [split, scan] of Object.entries(scans)) {
    scanned[split] = (await scanClassFolders(scan.root, scan.folders, { ...scanning, classNames })).entries;
  }
  const make = (entries: ImageFileEntry[], training: boolean) =>
    new PipelineDataset(decoder.source(entries), classNames, { ...pipeline, training, defaultImageSize: DEFAULT_FILE_IMAGE_SIZE });
  let train = make(scanned.train, true);
  let val: PipelineDataset;
  if (scanned.val) {
    val = make(scanned.val, false);
  } else {
    const trainSource = decoder.source(scanned.train);
    const labels = scanned.train.map((e) => e.label);
    const indices = stratifiedSplit(labels, { valFraction: options.valFraction, seed: options.seed ?? 0, splitSeed: options.splitSeed });
    const opts = { ...pipeline, defaultImageSize: DEFAULT_FILE_IMAGE_SIZE };
    train = new PipelineDataset(subsetSource(trainSource, indices.train), classNames, { ...opts, training: true });
    val = new PipelineDataset(subsetSource(trainSource, indices.val), classNames, { ...opts, training: false });
  }
  const splits: FileDatasetSplits = { train, val, classNames, explicitSplits: true, dispose: () => decoder.pool.terminate() };
  if (scanned.test) splits.test = make(scanned.test, false);
  return splits;
}

function findSplitFolders(folders: string[]): Partial<Record<keyof typeof SPLIT_FOLDERS, string>> {
  const found: Partial<Record<keyof typeof SPLIT_FOLDERS, string>> = {};
  for (const [split, names] of Object.entries(SPLIT_FOLDERS) as [keyof typeof SPLIT_FOLDERS, readonly string[]][]) {
    const match = folders.find((f) => names.includes(f.toLowerCase()));
    if (match) found[split] = match;
  }
  return found;
}

async function visibleSubfolders(dir: string, warn: (message: string) => void): Promise<string[]> {
  const entries = await readVisibleEntries(dir, warn, 'image folder');
  return entries.filter(({ entry }) => entry.isDirectory() || entry.isSymbolicLink()).map(({ name }) => name);
}

async function scanClassFolders(
  root: string,
  folders: string[],
  options: ImageFolderOptions & { root: DatasetRoot; onWarning: (message: string) => void },
): Promise<{ classNames: string[]; entries: ImageFileEntry[] }> {
  if (folders.length === 0) {
    throw new Error(`Image folder ${root} has no class folders: expected ${root}/<class>/<image files> (or train/ and val/ subfolders)`);
  }
  const warn = options.onWarning;
  const onError = options.onError ?? 'throw';
  const extensions = options.extensions ?? IMAGE_EXTENSIONS;
  const classNames = options.classNames ? [...options.classNames] : sortClassNames(folders);
  const entries: ImageFileEntry[] = [];
  for (const folder of folders) {
    const label = classNames.indexOf(folder);
    const dir = path.join(root, folder);
    if (label < 0) throw new Error(`Class folder ${dir} is not in the given classNames [${classNames.join(', ')}]`);
    if (!(await options.root.allows(dir, onError, warn))) continue;
    const files = await walkImages(dir, { extensions, onWarning: warn, root: options.root, onError });
    if (files.length === 0) {
      const message = `Class folder ${dir} contains no images (${extensions.join(' ')})`;
      if (onError !== 'skip') throw new Error(`${message}; add images, remove the folder, or pass onError: 'skip'`);
      warn(`Skipping empty class: ${message}`);
    }
    for (const file of files) entries.push({ path: file, label });
  }
  if (entries.length === 0) throw new Error(`Image folder ${root} contains no images in any class folder`);
  return { classNames, entries };
}
