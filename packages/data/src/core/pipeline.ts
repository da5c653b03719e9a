import * as tf from '@tensorflow/tfjs';
import { augmentExample, evalTransform, mixBatch, resolveAugmentation, type AugmentationOptions, type ResolvedAugmentation } from './augmentation';
import type { ExampleSource } from './example-source';
import { checkNormalization, normalizeInPlace, type NormalizationPreset } from './normalization';
import { Rng, RngPurpose, epochOrder } from './rng';
import { UnreadableExampleError } from './unreadable-example';
import type { Batch, BatchOptions, FitMode, ImageDataset, OnError, RgbImage } from './types';

/** Options every dataset constructor accepts. */
export interface PipelineOptions {
  /** Output size: a number for square images or [height, width]. Default depends on the source (224 for files). */
  imageSize?: number | [number, number];
  /** How decoded images are fitted to `imageSize`. Default 'stretch'. */
  fit?: FitMode;
  /** Pixel normalisation of produced batches. Default 'unit' ([0, 1]). */
  normalization?: NormalizationPreset;
  /** Training augmentation (used by the training split; `true` = defaults). Default off. */
  augmentation?: AugmentationOptions | boolean;
  /** Seed of shuffling, splitting and augmentation. Default 0. */
  seed?: number;
  /** 'throw' (default): the first unreadable example fails the epoch with its location. 'skip': warn, count, leave it out. */
  onError?: OnError;
  /** Batches prepared ahead of the consumer. Default 2. */
  prefetch?: number;
  /** Receives skip warnings. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

export interface SkippedExample {
  /** Index in this dataset. */
  index: number;
  /** Where it came from (file, row, key). */
  where: string;
  reason: string;
}

interface PreparedBatch {
  xs: Float32Array;
  ys: Float32Array;
  count: number;
}

/** Default image size for a source when the caller gives none. */
export function resolveImageSize(imageSize: number | [number, number] | undefined, fallback: number): [number, number] {
  const [h, w] = typeof imageSize === 'number' ? [imageSize, imageSize] : (imageSize ?? [fallback, fallback]);
  if (!(Number.isInteger(h) && Number.isInteger(w) && h > 0 && w > 0)) {
    throw new Error(`imageSize must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(imageSize)}`);
  }
  return [h, w];
}

/**
 * An ImageDataset over any ExampleSource: per-epoch seeded shuffle, batching, bounded prefetch,
 * augmentation, normalisation, one-hot labels. Pixel work happens on typed arrays; tensors are
 * only created at the moment a batch is handed to the caller, so an abandoned iterator leaks none.
 */
export class PipelineDataset implements ImageDataset {
  readonly classNames: readonly string[];
  readonly imageShape: readonly [number, number, number];
  /** Whether this is a training split: shuffles and augments by default. */
  readonly training: boolean;
  readonly normalization: NormalizationPreset;
  readonly seed: number;
  /** Examples left out with `onError: 'skip'` so far (each is counted once per dataset). */
  readonly skipped: SkippedExample[] = [];
  private readonly skippedIndices = new Set<number>();
  private readonly augmentation: ResolvedAugmentation | null;
  private readonly fit: FitMode;
  private readonly onError: OnError;
  private readonly prefetch: number;
  private readonly warn: (message: string) => void;

  constructor(
    readonly source: ExampleSource,
    classNames: readonly string[],
    options: PipelineOptions & { training: boolean; defaultImageSize: number },
  ) {
    const [h, w] = resolveImageSize(options.imageSize, options.defaultImageSize);
    this.classNames = [...classNames];
    this.imageShape = [h, w, 3];
    this.training = options.training;
    this.normalization = checkNormalization(options.normalization ?? 'unit');
    this.seed = options.seed ?? 0;
    this.augmentation = resolveAugmentation(options.augmentation);
    this.fit = options.fit ?? 'stretch';
    this.onError = options.onError ?? 'throw';
    this.prefetch = Math.max(0, options.prefetch ?? 2);
    this.warn = options.onWarning ?? ((message) => console.warn(message));
  }

  get size(): number {
    return this.source.size;
  }

  /** Number of batches one epoch yields with these options (before any skipped examples). */
  batchCount(options: Pick<BatchOptions, 'batchSize' | 'dropRemainder'>): number {
    checkBatchSize(options.batchSize);
    return options.dropRemainder ? Math.floor(this.size / options.batchSize) : Math.ceil(this.size / options.batchSize);
  }

  async *batches(options: BatchOptions): AsyncIterableIterator<Batch> {
    const batchSize = options.batchSize;
    const total = this.batchCount(options);
    const epoch = options.epoch ?? 0;
    const order = epochOrder(this.size, this.seed, epoch, options.shuffle ?? this.training);
    const augment = (options.augment ?? this.training) ? this.augmentation : null;
    const pending: Promise<PreparedBatch>[] = [];
    let next = Math.max(0, options.startBatch ?? 0);
    const fill = () => {
      while (next < total && pending.length <= this.prefetch) {
        const b = next++;
        const prepared = this.prepare(order.subarray(b * batchSize, Math.min(this.size, (b + 1) * batchSize)), epoch, b, augment);
        // Errors surface when this batch is awaited; until then they must not count as unhandled.
        prepared.catch(() => undefined);
        pending.push(prepared);
      }
    };
    fill();
    while (pending.length > 0) {
      const prepared = await pending.shift()!;
      fill();
      if (prepared.count === 0) continue;
      const [h, w] = this.imageShape;
      yield {
        xs: tf.tensor4d(prepared.xs, [prepared.count, h, w, 3], 'float32'),
        ys: tf.tensor2d(prepared.ys, [prepared.count, this.classNames.length], 'float32'),
      };
    }
  }

  toTfDataset(options: BatchOptions): tf.data.Dataset<{ xs: tf.Tensor4D; ys: tf.Tensor2D }> {
    return tf.data.generator(() => this.batches(options) as AsyncIterator<{ xs: tf.Tensor4D; ys: tf.Tensor2D }>);
  }

  async dispose(): Promise<void> {
    await this.source.dispose?.();
  }

  private async prepare(indices: Int32Array, epoch: number, batchIndex: number, augment: ResolvedAugmentation | null): Promise<PreparedBatch> {
    const results = await Promise.allSettled(Array.from(indices, (index) => this.source.load(index)));
    const [h, w] = this.imageShape;
    const classes = this.classNames.length;
    const imageSize = h * w * 3;
    const xs = new Float32Array(indices.length * imageSize);
    const ys = new Float32Array(indices.length * classes);
    let count = 0;
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k];
      const result = results[k];
      const label = this.source.label(index);
      let image: RgbImage;
      if (result.status === 'rejected') {
        this.handleBadExample(index, errorMessage(result.reason));
        continue;
      } else {
        image = result.value;
      }
      if (!(label >= 0 && label < classes)) {
        this.handleBadExample(index, `label index ${label} is outside the ${classes} classes`);
        continue;
      }
      if (augment) augmentExample(image, w, h, this.fit, augment, Rng.at(this.seed, RngPurpose.augment, epoch, index), xs, count * imageSize);
      else evalTransform(image, w, h, this.fit, xs, count * imageSize);
      ys[count * classes + label] = 1;
      count++;
    }
    if (augment && count > 1) mixBatch(xs, ys, count, h, w, classes, augment, Rng.at(this.seed, RngPurpose.mix, epoch, batchIndex));
    const used = xs.subarray(0, count * imageSize);
    normalizeInPlace(used, this.normalization);
    return { xs: count === indices.length ? xs : used.slice(), ys: ys.slice(0, count * classes), count };
  }

  private handleBadExample(index: number, reason: string): void {
    const where = this.source.describe(index);
    // Loaders usually name the file already; avoid saying it twice.
    const message = reason.includes(where) ? reason : `${where}: ${reason}`;
    if (this.onError === 'throw') {
      throw new UnreadableExampleError(message);
    }
    if (!this.skippedIndices.has(index)) {
      this.skippedIndices.add(index);
      this.skipped.push({ index, where, reason });
    }
    this.warn(`Skipping ${message} [${this.skipped.length} skipped so far]`);
  }
}

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
