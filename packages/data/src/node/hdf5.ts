import path from 'node:path';
import type H5Wasm from 'h5wasm/node';
import { splitSource } from '../core/arrays';
import type { ExampleSource } from '../core/example-source';
import { sortClassNames } from '../core/labels';
import { PipelineDataset, type PipelineOptions } from '../core/pipeline';
import type { SplitOptions } from '../core/split';
import { hdf5ReadError, loadH5wasm, openHdf5File, type H5File } from './hdf5-file';
import type { FileDatasetSplits } from './image-folder';

export interface Hdf5DatasetOptions extends PipelineOptions, SplitOptions {
  /** Images [N, H, W, C] (C = 1, 3 or 4), uint8 or 0..255 numbers. Default 'train_set_x'. */
  xKey?: string;
  /** Labels [N] (or [1, N] / [N, 1]): class indices or fixed-length strings. Default 'train_set_y'. */
  yKey?: string;
  /** Class names (strings or numbers); optional. Default 'list_classes'. */
  classesKey?: string;
  /** A second file with the test split (deeplearning.ai ships test_signs.h5 beside train_signs.h5). */
  testPath?: string;
  /** Keys of the test split, in `testPath` or in the same file. Defaults 'test_set_x', 'test_set_y'. */
  testXKey?: string;
  testYKey?: string;
  /** Use this class list instead of the file's. */
  classNames?: readonly string[];
}

type H5Module = typeof H5Wasm;
type H5Dataset = InstanceType<H5Module['Dataset']>;

/**
 * Most classes numeric labels may imply without a class list: `max(label) + 1` classes are built,
 * so one stray large label must not make a head of millions of outputs.
 */
export const MAX_IMPLIED_CLASSES = 100_000;

/** An HDF5 file opened on demand (h5wasm reads it from disk lazily) and closed on dispose. */
class Hdf5Handle {
  private file: H5File | null = null;
  constructor(
    private readonly h5wasm: H5Module,
    readonly filePath: string,
  ) {}

  open(): H5File {
    this.file ??= openHdf5File(this.h5wasm, this.filePath);
    return this.file;
  }

  /** Runs a read of `what`; an HDF5 error (a corrupt object) becomes one line naming the file and `what`. */
  read<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw hdf5ReadError(this.filePath, what, error);
    }
  }

  dataset(key: string): H5Dataset {
    const entity = this.read(`"${key}"`, () => (this.has(key) ? this.open().get(key) : null));
    if (!(entity instanceof this.h5wasm.Dataset)) {
      const keys = this.open().keys().join(', ');
      throw new Error(`HDF5 file ${this.filePath}: no dataset "${key}" (found: ${keys || 'nothing'}); set the key option to one of these`);
    }
    return entity;
  }

  /** Whether `key` (possibly "group/name") exists, checked by listing so HDF5 prints no diagnostics. */
  has(key: string): boolean {
    let group: unknown = this.open();
    const parts = key.split('/').filter(Boolean);
    for (const [i, part] of parts.entries()) {
      if (!(group instanceof this.h5wasm.Group) || !group.keys().includes(part)) return false;
      const child = group.get(part);
      if (i === parts.length - 1) return child instanceof this.h5wasm.Dataset;
      group = child;
    }
    return false;
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }
}

function decodeString(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\0+$/, '');
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).replace(/\0+$/, '');
  return String(value);
}

function readLabels(handle: Hdf5Handle, key: string, count: number): (number | string)[] {
  const ds = handle.dataset(key);
  const shape = ds.shape ?? [];
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length > 2 || (shape.length === 2 && shape[0] !== 1 && shape[1] !== 1)) {
    throw new Error(`HDF5 file ${handle.filePath}: labels "${key}" have shape [${shape.join(', ')}]; expected [N], [1, N] or [N, 1]`);
  }
  if (n !== count) {
    throw new Error(`HDF5 file ${handle.filePath}: "${key}" has ${n} labels but the images have ${count} examples; x and y must have the same length`);
  }
  const value = handle.read(`"${key}"`, () => ds.value);
  const flat = Array.isArray(value) ? (value.flat(2) as unknown[]) : ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<number | bigint>) : [value];
  return flat.map((v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : decodeString(v)));
}

/**
 * Class names "0".."K-1" for class-index labels in a file without a class list, K = max + 1. A label
 * that is not a whole number >= 0, or a K far beyond the labels seen (at most twice the distinct
 * labels, and at most MAX_IMPLIED_CLASSES), is an error naming the file, key and index.
 */
function impliedClassNames(sets: readonly { labels: readonly number[]; file: Hdf5Handle; key: string }[], classesKey: string): string[] {
  let max = -1;
  let at = '';
  const distinct = new Set<number>();
  for (const { labels, file, key } of sets) {
    labels.forEach((label, i) => {
      if (!(Number.isInteger(label) && label >= 0)) {
        throw new Error(`HDF5 file ${file.filePath}: "${key}"[${i}] = ${label} is not a class index (a whole number >= 0); fix the label or add a "${classesKey}" dataset`);
      }
      distinct.add(label);
      if (label > max) [max, at] = [label, `HDF5 file ${file.filePath}: "${key}"[${i}] = ${label}`];
    });
  }
  const classes = max + 1;
  if (classes > Math.min(MAX_IMPLIED_CLASSES, 2 * distinct.size)) {
    throw new Error(
      `${at} would make ${classes} classes from ${distinct.size} distinct label${distinct.size === 1 ? '' : 's'}: without a "${classesKey}" dataset, ` +
        `numeric labels are class indices 0..K-1, K at most twice the distinct labels and at most ${MAX_IMPLIED_CLASSES}. ` +
        `Fix the label, or add a "${classesKey}" dataset (or pass classNames) naming every class`,
    );
  }
  return Array.from({ length: classes }, (_, i) => String(i));
}

/** Images scanned to tell [0, 1] floats from 0..255 values: spread over the dataset, a few reads. */
const SCAN_IMAGES = 16;

/**
 * The factor that brings float images to 0..255: 255 when the scanned images all lie in [0, 1]
 * (said once through `warn`), else 1. A NaN or infinite pixel met on the way is an error naming
 * the image; integer images are taken as they are.
 */
function pixelScale(handle: Hdf5Handle, xKey: string, count: number, readImage: (i: number) => ArrayLike<number>, warn: (message: string) => void): number {
  const first = count > 0 ? readImage(0) : new Uint8Array(0);
  if (!(first instanceof Float32Array || first instanceof Float64Array)) return 1;
  let max = 0;
  const step = Math.max(1, Math.floor(count / SCAN_IMAGES));
  for (let i = 0; i < count; i += step) {
    const pixels = i === 0 ? first : readImage(i);
    for (let k = 0; k < pixels.length; k++) {
      const v = pixels[k];
      if (!Number.isFinite(v)) {
        throw new Error(`HDF5 file ${handle.filePath}: "${xKey}"[${i}] holds ${v} pixel values; the images must be finite numbers (0..255, or 0..1 floats)`);
      }
      if (v > max) max = v;
    }
  }
  if (max > 1) return 1;
  warn(`HDF5 file ${handle.filePath}: "${xKey}" holds float pixels in [0, 1]; scaling them by 255 (the images are read as 0..255)`);
  return 255;
}

function imageSource(handle: Hdf5Handle, xKey: string, labels: Int32Array, warn: (message: string) => void): { source: ExampleSource; height: number } {
  const x = handle.dataset(xKey);
  const shape = x.shape ?? [];
  if (shape.length !== 4 && shape.length !== 3) {
    throw new Error(`HDF5 file ${handle.filePath}: images "${xKey}" have shape [${shape.join(', ')}]; expected [N, H, W, 3] (or [N, H, W])`);
  }
  const [n, height, width] = shape;
  const channels = shape.length === 4 ? shape[3] : 1;
  if (![1, 3, 4].includes(channels)) throw new Error(`HDF5 file ${handle.filePath}: images "${xKey}" have ${channels} channels; expected 1, 3 or 4`);
  const name = path.basename(handle.filePath);
  const readImage = (i: number) => handle.read(`"${xKey}"[${i}]`, () => handle.dataset(xKey).slice([[i, i + 1]]) as ArrayLike<number>);
  const scale = pixelScale(handle, xKey, n, readImage, warn);
  return {
    height,
    source: {
      size: n,
      label: (i) => labels[i],
      describe: (i) => `${name} ${xKey}[${i}]`,
      load: async (i) => {
        const raw = readImage(i);
        const data = new Uint8Array(height * width * 3);
        for (let p = 0; p < height * width; p++) {
          for (let c = 0; c < 3; c++) {
            const v = Number(raw[p * channels + (channels < 3 ? 0 : c)]) * scale;
            if (!Number.isFinite(v)) throw new Error(`${name} ${xKey}[${i}]: pixel ${p} is ${v}; the images must hold finite values (fix or drop this image)`);
            data[p * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
          }
        }
        return { data, width, height };
      },
      dispose: () => handle.close(),
    },
  };
}

/** The train pool of a file that holds only a test split. */
function noExamples(): ExampleSource {
  return {
    size: 0,
    label: () => 0,
    describe: (i) => `example ${i}`,
    load: async (i) => {
      throw new Error(`no example ${i}: this HDF5 file holds only a test split`);
    },
  };
}

/**
 * HDF5 in the deeplearning.ai layout (`train_set_x` [N, H, W, 3] uint8, `train_set_y` [N],
 * `list_classes`), read lazily with h5wasm, one example at a time. Labels may be class indices or
 * strings. The test split comes from `testPath` (or `test_set_*` keys in the same file); val is a
 * stratified seeded split of the training set.
 */
export async function hdf5Dataset(filePath: string, options: Hdf5DatasetOptions = {}): Promise<FileDatasetSplits> {
  const h5wasm = await loadH5wasm();
  const xKey = options.xKey ?? 'train_set_x';
  const yKey = options.yKey ?? 'train_set_y';
  const classesKey = options.classesKey ?? 'list_classes';
  const testXKey = options.testXKey ?? 'test_set_x';
  const testYKey = options.testYKey ?? 'test_set_y';
  const handle = new Hdf5Handle(h5wasm, path.resolve(filePath));
  const handles = [handle];
  try {
    // A course-layout test file (test_set_x, test_set_y, list_classes and no train_set_*): its examples are the test split.
    const testOnly = options.xKey === undefined && !options.testPath && !handle.has(xKey) && handle.has(testXKey);
    const count = testOnly ? 0 : (handle.dataset(xKey).shape ?? [0])[0];
    const rawLabels = testOnly ? [] : readLabels(handle, yKey, count);
    const testHandle = options.testPath ? new Hdf5Handle(h5wasm, path.resolve(options.testPath)) : testXKey !== xKey && handle.has(testXKey) ? handle : null;
    if (testHandle && testHandle !== handle) handles.push(testHandle);
    const testRaw = testHandle ? readLabels(testHandle, testYKey, (testHandle.dataset(testXKey).shape ?? [0])[0]) : [];

    const fileClasses = handle.has(classesKey) ? readLabels(handle, classesKey, (handle.dataset(classesKey).shape ?? [0]).reduce((a, b) => a * b, 1)) : null;
    const allLabels = [...rawLabels, ...testRaw];
    const numeric = allLabels.every((label) => typeof label === 'number');
    const classNames = options.classNames
      ? [...options.classNames]
      : fileClasses
        ? fileClasses.map(String)
        : numeric
          ? impliedClassNames(
              [
                { labels: rawLabels as number[], file: handle, key: yKey },
                { labels: testRaw as number[], file: testHandle ?? handle, key: testYKey },
              ],
              classesKey,
            )
          : sortClassNames(allLabels.map(String));
    // Strings are class names. Numbers are class indices, except when the file lists its classes as numbers (then they are looked up).
    const lookUpNumbers = !options.classNames && fileClasses !== null && typeof fileClasses[0] === 'number';
    const toIndex = (labels: (number | string)[], file: Hdf5Handle, key: string) =>
      Int32Array.from(labels, (label, i) => {
        const index = typeof label === 'string' ? classNames.indexOf(label) : lookUpNumbers ? fileClasses!.indexOf(label) : label;
        if (!(Number.isInteger(index) && index >= 0 && index < classNames.length)) {
          throw new Error(`HDF5 file ${file.filePath}: "${key}"[${i}] = ${JSON.stringify(label)} is not one of the ${classNames.length} classes [${classNames.join(', ')}]`);
        }
        return index;
      });
    const trainLabels = toIndex(rawLabels, handle, yKey);
    const warn = options.onWarning ?? ((message: string) => console.warn(message));
    const test = testHandle ? imageSource(testHandle, testXKey, toIndex(testRaw, testHandle, testYKey), warn) : null;
    const train = testOnly ? { source: noExamples(), height: test!.height } : imageSource(handle, xKey, trainLabels, warn);
    const pipeline = { ...options, testFraction: testHandle ? 0 : options.testFraction };
    const splits = splitSource(train.source, classNames, pipeline, train.height);
    if (test) splits.test = new PipelineDataset(test.source, classNames, { ...options, training: false, defaultImageSize: train.height });
    const dispose = async () => handles.forEach((h) => h.close());
    return { ...splits, classNames, explicitSplits: testHandle !== null, dispose };
  } catch (error) {
    handles.forEach((h) => h.close());
    throw error;
  }
}
