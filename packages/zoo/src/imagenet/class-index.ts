import { readBinarySource } from '../weights/source/binary-source';

/** Keras's `imagenet_class_index.json` shape: `{"0": ["n01440764", "tench"], ...}`. */
export type ClassIndex = Record<string, [string, string]>;

/**
 * Where Keras publishes the ImageNet class index. Zoo ships the same classes
 * (`imagenetClassIndex()`), so this is fetched only when a caller passes it.
 */
export const KERAS_CLASS_INDEX_URL = 'https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json';

/** A class index checked for the Keras shape; entries in class order. */
export interface ParsedClassIndex {
  entries: ReadonlyArray<{ readonly wnid: string; readonly name: string }>;
}

/** Checks an object in Keras's class-index shape; keys must be 0..N-1, values [wnid, name]. */
export function parseClassIndex(value: unknown, label = 'class index'): ParsedClassIndex {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${label}: expected an object like {"0": ["n01440764", "tench"], ...}`);
  }
  const record = value as Record<string, unknown>;
  const count = Object.keys(record).length;
  if (count === 0) throw new Error(`${label}: has no classes`);
  const entries = Array.from({ length: count }, (_, i) => {
    const entry = record[String(i)];
    if (!Array.isArray(entry) || entry.length !== 2 || entry.some((s) => typeof s !== 'string')) {
      throw new Error(
        `${label}: entry "${i}" ${entry === undefined ? 'is missing (keys must be 0..' + (count - 1) + ')' : 'must be [wnid, name]'}`,
      );
    }
    return { wnid: entry[0] as string, name: entry[1] as string };
  });
  return { entries };
}

export interface LoadClassIndexOptions {
  /** The fetch used for URLs (default: global fetch). */
  fetch?: typeof fetch;
}

/** Reads a class index from an object, a local path (Node) or a URL. */
export async function loadClassIndex(source: ClassIndex | string | URL, options: LoadClassIndexOptions = {}): Promise<ParsedClassIndex> {
  if (typeof source === 'object' && !(source instanceof URL)) return parseClassIndex(source);
  const label = source instanceof URL ? source.href : source;
  const bytes = await readBinarySource(source, options);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(`${label}: not valid JSON (${(error as Error).message})`);
  }
  return parseClassIndex(json, label);
}
