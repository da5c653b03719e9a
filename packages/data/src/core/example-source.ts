import type { RgbImage } from './types';

/**
 * The random-access view of a data source that the batching pipeline works on. Sources stream:
 * `load` reads one example when it is needed, so memory stays bounded by the prefetch depth.
 */
export interface ExampleSource {
  readonly size: number;
  /** Class index of example `index` (known without decoding, for stratified splits and one-hot). */
  label(index: number): number;
  /** Where example `index` comes from, for errors and warnings: a path, "labels.csv row 12 (a.jpg)", "signs.h5 train_set_x[3]". */
  describe(index: number): string;
  /** Decodes example `index` as RGB at any size; the pipeline fits it to the dataset's image shape. */
  load(index: number): Promise<RgbImage>;
  /** Releases files or threads. Must be idempotent; a later `load` may reopen them. */
  dispose?(): void | Promise<void>;
}

/** A view of `source` restricted to `indices` (used for splits). Shares, and does not own, the source's resources. */
export function subsetSource(source: ExampleSource, indices: ArrayLike<number>): ExampleSource {
  const map = Int32Array.from(indices);
  return {
    size: map.length,
    label: (i) => source.label(map[i]),
    describe: (i) => source.describe(map[i]),
    load: (i) => source.load(map[i]),
    dispose: () => source.dispose?.(),
  };
}
