import { syntheticShapesSplits, type PipelineDataset, type SkippedExample } from '@resnet-ts/data';
import { csvManifest, hdf5Dataset, imageFolder } from '@resnet-ts/data/node';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { TrainingDataset } from '../dataset';
import { parseRecipe, type DataSourceKind, type DataSourceSpec } from '../recipe';

export type { DataSourceKind, DataSourceSpec } from '../recipe';

export interface OpenedData {
  train: TrainingDataset;
  val: TrainingDataset;
  /** The source's own test split (split folder, CSV split column, HDF5 test keys), if it has one. */
  test?: TrainingDataset;
  classNames: string[];
  /** Whether the source says which example is in which split, rather than a seeded cut of one pool. */
  explicitSplits: boolean;
  /** The images left out so far with `onError: 'skip'` (train, val, then test). */
  skipped(): SkippedExample[];
  dispose(): Promise<void>;
}

export interface OpenDataOptions {
  /** The data will be trained on: fewer than 2 classes is an error naming the source, before anything is written. */
  training?: boolean;
}

/** How messages name a source: its path, or "synthetic shapes". */
const sourceName = (data: { kind: DataSourceKind; path?: string }) => (data.kind === 'synthetic' ? 'synthetic shapes' : data.path!);

interface SourceSplits {
  train: PipelineDataset;
  val: PipelineDataset;
  test?: PipelineDataset;
  explicitSplits: boolean;
}

async function opened(data: { kind: DataSourceKind; path?: string }, splits: SourceSplits, dispose: () => Promise<void>, options: OpenDataOptions): Promise<OpenedData> {
  const { train, val, test, explicitSplits } = splits;
  const classNames = [...train.classNames];
  if (options.training && train.size === 0) {
    await dispose();
    throw new Error(`${sourceName(data)}: no training examples${test ? ' (it holds only a test split: evaluate on it, or train on the file with train_set_x / --h5-keys)' : ''}`);
  }
  if (options.training && classNames.length < 2) {
    const found = classNames.length === 0 ? 'none' : `only ${classNames.map((c) => JSON.stringify(c)).join(', ')}`;
    await dispose();
    throw new Error(`${sourceName(data)}: training needs at least 2 classes, found ${found}; add images of another class (a folder, label or list_classes entry per class)`);
  }
  return {
    train,
    val,
    ...(test ? { test } : {}),
    classNames,
    explicitSplits,
    skipped: () => [...train.skipped, ...val.skipped, ...(test?.skipped ?? [])],
    dispose,
  };
}

/** Guesses the kind of a data path: `synthetic`, a folder, `.csv`, or `.h5`/`.hdf5`. */
export async function detectDataSource(path: string | undefined): Promise<DataSourceKind> {
  if (path === undefined || path === 'synthetic') return 'synthetic';
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`${path}: no such file or folder (give an image folder, a .csv manifest, an .h5 file or "synthetic").`);
  if (info.isDirectory()) return 'folder';
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.h5' || ext === '.hdf5') return 'hdf5';
  throw new Error(`${path}: unknown data file type "${ext}" (expected a folder, .csv, .h5 or .hdf5).`);
}

/**
 * Opens train and validation splits for a spec (the recipe's `data` section; its defaults fill
 * what is left out). Throws a `RecipeError` naming `data.<key>` for an invalid spec. Call
 * `dispose()` to stop decode workers. `data.onError` and `data.allowOutsideRoot` go to the source
 * (`skip` warns per unreadable image; `skipped()` lists them).
 */
export async function openDataSource(spec: DataSourceSpec, options: OpenDataOptions = {}): Promise<OpenedData> {
  const data = parseRecipe({ data: spec }).data!;
  const common = {
    imageSize: data.imageSize,
    normalization: data.normalization,
    augmentation: data.augmentation,
    seed: data.seed,
    onError: data.onError === 'skip' ? 'skip' : 'throw',
  } as const;
  if (data.kind === 'synthetic') {
    const { train, val } = syntheticShapesSplits({ ...common, ...data.synthetic });
    const dispose = async () => {
      await train.dispose();
      await val.dispose();
    };
    return opened(data, { train, val, explicitSplits: true }, dispose, options);
  }
  if (data.kind === 'memory') throw new Error('data source "memory": the images were given in code; a recipe cannot reopen them.');
  const path = resolve(data.path!);
  const fileOptions = {
    ...common,
    valFraction: data.valFraction,
    ...(data.workers !== undefined ? { workers: data.workers } : {}),
    ...(data.classNames ? { classNames: data.classNames } : {}),
    ...(data.allowOutsideRoot ? { allowOutsideRoot: true } : {}),
  };
  const keys = data.hdf5Keys ? { xKey: data.hdf5Keys.x, yKey: data.hdf5Keys.y, ...(data.hdf5Keys.classes ? { classesKey: data.hdf5Keys.classes } : {}) } : {};
  const splits =
    data.kind === 'folder'
      ? await imageFolder(path, fileOptions)
      : data.kind === 'csv'
        ? await csvManifest(path, fileOptions)
        : await hdf5Dataset(path, { ...fileOptions, ...keys });
  return opened(data, splits, () => splits.dispose(), options);
}
