import { NORMALIZATION_PRESETS, SYNTHETIC_DIFFICULTIES, type NormalizationPreset, type SyntheticDifficulty } from '@resnet-ts/data';
import { z } from 'zod';
import { augmentationSettings } from './augmentation';
import { openFraction, positiveInt, seed, strictObject } from './fields';

/** Where images come from: synthetic shapes, an image folder, a CSV manifest, an HDF5 file, or memory. */
export const DATA_KINDS = ['synthetic', 'folder', 'csv', 'hdf5', 'memory'] as const;
export type DataSourceKind = (typeof DATA_KINDS)[number];
/** The kinds read from `path`. */
const FILE_KINDS: readonly DataSourceKind[] = ['folder', 'csv', 'hdf5'];

/** What to do with an image that cannot be read (`data.onError`, `--on-error`). */
export const ON_ERROR_CHOICES = ['fail', 'skip'] as const;
export type OnErrorChoice = (typeof ON_ERROR_CHOICES)[number];

const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as [T, ...T[]]);

/** `data.hdf5Keys`: which datasets of an HDF5 file hold the images, labels and class names. */
const hdf5Keys = strictObject(
  {
    /** Images [N, H, W, C]. */
    x: z.string().min(1),
    /** Labels [N]: class indices or names. */
    y: z.string().min(1),
    /** Class names; optional. */
    classes: z.string().min(1).optional(),
  },
  'data.hdf5Keys',
);

/** `data.synthetic`: the embedded shapes set (`syntheticShapesSplits` of @resnet-ts/data). */
const syntheticSettings = strictObject(
  {
    /** 2..10 shape classes. Default 6. */
    classes: z.number().int().min(2).max(10).default(6),
    /** Default 1000. */
    trainCount: positiveInt().default(1000),
    /** Default 200. */
    valCount: positiveInt().default(200),
    /** Clutter of the images. Default `easy`. */
    difficulty: enumOf<SyntheticDifficulty>(SYNTHETIC_DIFFICULTIES).default('easy'),
  },
  'data.synthetic',
);

const fields = strictObject(
  {
    /**
     * Default `synthetic`. `memory`: images given in code (the demo's own classes); the recipe
     * records their size and pipeline, and they cannot be reopened from it.
     */
    kind: enumOf(DATA_KINDS).default('synthetic'),
    /** Folder, CSV file or HDF5 file (kinds folder, csv and hdf5 only). */
    path: z.string().min(1).optional(),
    /** [height, width] of produced images. Default [64, 64], the notebook's SIGNS size. */
    imageSize: z.tuple([positiveInt(), positiveInt()]).default([64, 64]),
    /** Default `unit` (pixels / 255, as the notebook). */
    normalization: enumOf<NormalizationPreset>(NORMALIZATION_PRESETS).default('unit'),
    /** Training augmentation: true for the defaults, or its settings. Default false (the notebook has none). */
    augmentation: z.union([z.boolean(), augmentationSettings]).default(false),
    /** Seed of splitting, shuffling and augmentation. Default 0. */
    seed: seed().default(0),
    /** Decode worker threads for file sources. Default: the data package decides. */
    workers: positiveInt().optional(),
    /** Held-out fraction when the source has no validation split. Default 0.2. */
    valFraction: openFraction().default(0.2),
    /** Fix the class list (and label indices) of file sources, e.g. to a trained model's classes. */
    classNames: z.array(z.string().min(1)).optional(),
    /**
     * HDF5 only: the keys of the examples to use. Default: `train_set_x`, `train_set_y` and
     * `list_classes` (the deeplearning.ai layout), with `test_set_*` as the test split.
     */
    hdf5Keys: hdf5Keys.optional(),
    /**
     * An image that cannot be read: `fail` stops with its file (the default when left out), `skip`
     * warns, leaves it out and counts it. Left out of the recipe unless set, so older recipes keep their hash.
     */
    onError: enumOf(ON_ERROR_CHOICES).optional(),
    /** File sources: read links and CSV paths that resolve outside the folder (or the CSV's folder). Default false. */
    allowOutsideRoot: z.boolean().optional(),
    /** Synthetic shapes only; filled with its defaults for kind `synthetic`. */
    synthetic: syntheticSettings.optional(),
  },
  'data',
);

/**
 * The recipe's `data` section: a JSON description of where training data comes from, stored with
 * a run so that `resume`, `evaluate` and `predict` rebuild exactly the same pipeline.
 */
export const dataSection = fields
  .superRefine((data, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    const fromFile = FILE_KINDS.includes(data.kind);
    if (fromFile && data.path === undefined) issue('path', `required for kind ${data.kind} (the image folder, .csv or .h5 file)`);
    if (!fromFile && data.path !== undefined) issue('path', `kind ${data.kind} reads no path (kinds with a path: ${FILE_KINDS.join(', ')})`);
    if (data.kind !== 'hdf5' && data.hdf5Keys !== undefined) issue('hdf5Keys', `only for kind hdf5, not ${data.kind}`);
    if (data.kind !== 'synthetic' && data.synthetic !== undefined) issue('synthetic', `only for kind synthetic, not ${data.kind}`);
  })
  .transform((data) => (data.kind === 'synthetic' ? { ...data, synthetic: syntheticSettings.parse(data.synthetic ?? {}) } : data));
