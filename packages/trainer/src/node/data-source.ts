import { syntheticShapesSplits, type AugmentationOptions, type NormalizationPreset, type SyntheticDifficulty } from '@resnet-ts/data';
import { csvManifest, hdf5Dataset, imageFolder } from '@resnet-ts/data/node';
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { TrainingDataset } from '../dataset';

export type DataSourceKind = 'synthetic' | 'folder' | 'csv' | 'hdf5';

/**
 * A JSON description of where training data comes from, stored with a run so that `resume`,
 * `evaluate` and `predict` rebuild exactly the same pipeline (size, normalization, split seed).
 */
export interface DataSourceSpec {
  kind: DataSourceKind;
  /** Folder, CSV file or HDF5 file (absent for synthetic data). */
  path?: string;
  /** [height, width] of produced images. */
  imageSize: [number, number];
  /** Default 'unit' (pixels / 255, as the notebook). */
  normalization?: NormalizationPreset;
  /** Training augmentation; default off. */
  augmentation?: AugmentationOptions | boolean;
  /** Seed of splitting, shuffling and augmentation. Default 0. */
  seed?: number;
  /** Decode worker threads for file sources. */
  workers?: number;
  /** Held-out fraction when the source has no validation split. Default 0.2. */
  valFraction?: number;
  /** Fix the class list (and label indices) of file sources, e.g. to a trained model's classes. */
  classNames?: readonly string[];
  /** Synthetic shapes only. `difficulty` defaults to `syntheticShapes`'s default (`easy`). */
  synthetic?: { classes?: number; trainCount?: number; valCount?: number; difficulty?: SyntheticDifficulty };
}

export interface OpenedData {
  train: TrainingDataset;
  val: TrainingDataset;
  classNames: string[];
  dispose(): Promise<void>;
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

/** Opens train and validation splits for a spec. Call `dispose()` to stop decode workers. */
export async function openDataSource(spec: DataSourceSpec): Promise<OpenedData> {
  const common = {
    imageSize: spec.imageSize,
    normalization: spec.normalization ?? 'unit',
    augmentation: spec.augmentation ?? false,
    seed: spec.seed ?? 0,
  } as const;
  if (spec.kind === 'synthetic') {
    const { train, val } = syntheticShapesSplits({
      ...common,
      classes: spec.synthetic?.classes ?? 6,
      trainCount: spec.synthetic?.trainCount ?? 1000,
      valCount: spec.synthetic?.valCount ?? 200,
      ...(spec.synthetic?.difficulty !== undefined ? { difficulty: spec.synthetic.difficulty } : {}),
    });
    return {
      train,
      val,
      classNames: [...train.classNames],
      dispose: async () => {
        await train.dispose();
        await val.dispose();
      },
    };
  }
  if (!spec.path) throw new Error(`data source "${spec.kind}" needs a path.`);
  const path = resolve(spec.path);
  const fileOptions = {
    ...common,
    valFraction: spec.valFraction ?? 0.2,
    ...(spec.workers !== undefined ? { workers: spec.workers } : {}),
    ...(spec.classNames ? { classNames: spec.classNames } : {}),
  };
  const splits =
    spec.kind === 'folder'
      ? await imageFolder(path, fileOptions)
      : spec.kind === 'csv'
        ? await csvManifest(path, fileOptions)
        : await hdf5Dataset(path, fileOptions);
  return { train: splits.train, val: splits.val, classNames: splits.classNames, dispose: () => splits.dispose() };
}
