import fs from 'node:fs';
import path from 'node:path';
import type H5Wasm from 'h5wasm/node';
import { splitSource } from '../core/arrays';
import type { ExampleSource } from '../core/example-source';
import { sortClassNames } from '../core/labels';
import { PipelineDataset, type PipelineOptions } from '../core/pipeline';
import type { SplitOptions } from '../core/split';
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
type H5File = InstanceType<H5Module['File']>;
type H5Dataset = InstanceType<H5Module['Dataset']>;

let h5Module: Promise<H5Module> | undefined;

/** h5wasm compiles its wasm when imported: load it only when an HDF5 file is opened. */
function loadH5wasm(): Promise<H5Module> {
  h5Module ??= import('h5wasm/node').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return h5Module;
}

/** An HDF5 file opened on demand (h5wasm reads it from disk lazily) and closed on dispose. */
class Hdf5Handle {
  private file: H5File | null = null;
  constructor(
    private readonly h5wasm: H5Module,
    readonly filePath: string,
  ) {}

  open(): H5File {
    if (!this.file) {
      if (!fs.existsSync(this.filePath)) throw new Error(`Cannot open HDF5 file ${this.filePath}: no such file`);
      try {
        this.file = new this.h5wasm.File(this.filePath, 'r');
      } catch (error) {
        throw new Error(`Cannot open HDF5 file ${this.filePath}: ${(error as Error).message}`);
      }
    }
    return this.file;
  }

  dataset(key: string): H5Dataset {
    const entity = this.has(key) ? this.open().get(key) : null;
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
  const value = ds.value;
  const flat = Array.isArray(value) ? (value.flat(2) as unknown[]) : ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<number | bigint>) : [value];
  return flat.map((v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : decodeString(v)));
}

function imageSource(handle: Hdf5Handle, xKey: string, labels: Int32Array): { source: ExampleSource; height: number } {
  const x = handle.dataset(xKey);
  const shape = x.shape ?? [];
  if (shape.length !== 4 && shape.length !== 3) {
    throw new Error(`HDF5 file ${handle.filePath}: images "${xKey}" have shape [${shape.join(', ')}]; expected [N, H, W, 3] (or [N, H, W])`);
  }
  const [n, height, width] = shape;
  const channels = shape.length === 4 ? shape[3] : 1;
  if (![1, 3, 4].includes(channels)) throw new Error(`HDF5 file ${handle.filePath}: images "${xKey}" have ${channels} channels; expected 1, 3 or 4`);
  const name = path.basename(handle.filePath);
  return {
    height,
    source: {
      size: n,
      label: (i) => labels[i],
      describe: (i) => `${name} ${xKey}[${i}]`,
      load: async (i) => {
        const raw = handle.dataset(xKey).slice([[i, i + 1]]) as ArrayLike<number>;
        const data = new Uint8Array(height * width * 3);
        for (let p = 0; p < height * width; p++) {
          for (let c = 0; c < 3; c++) {
            const v = Number(raw[p * channels + (channels < 3 ? 0 : c)]);
            data[p * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
          }
        }
        return { data, width, height };
      },
      dispose: () => handle.close(),
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
    const count = (handle.dataset(xKey).shape ?? [0])[0];
    const rawLabels = readLabels(handle, yKey, count);
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
          ? Array.from({ length: Math.max(...(allLabels as number[])) + 1 }, (_, i) => String(i))
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
    const train = imageSource(handle, xKey, trainLabels);
    const pipeline = { ...options, testFraction: testHandle ? 0 : options.testFraction };
    const splits = splitSource(train.source, classNames, pipeline, train.height);
    if (testHandle) {
      const test = imageSource(testHandle, testXKey, toIndex(testRaw, testHandle, testYKey));
      splits.test = new PipelineDataset(test.source, classNames, { ...options, training: false, defaultImageSize: train.height });
    }
    const dispose = async () => handles.forEach((h) => h.close());
    return { ...splits, classNames, explicitSplits: testHandle !== null, dispose };
  } catch (error) {
    handles.forEach((h) => h.close());
    throw error;
  }
}
