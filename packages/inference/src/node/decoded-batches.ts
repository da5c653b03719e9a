import { normalizeInPlace, type NormalizationPreset } from '@resnet-ts/data';

/** An image file that did not decode; the message names the file. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';

  constructor(
    readonly file: string,
    cause: Error,
  ) {
    super(`${file}: ${cause.message}`, { cause });
  }
}

/**
 * Decoded pixels held ahead of the model. Decoding starts before the engine is ready (onnxruntime
 * builds its session on one core while the other decodes), so the lead it may build is what
 * bounds the overlap: 128 MiB holds all 1080 SIGNS images at 64x64, or 6 batches of 32 at 224x224.
 */
export const DEFAULT_DECODE_AHEAD_BYTES = 128 * 1024 * 1024;

/** One batch as decoded: the pixels of the files that decoded, in order, and the files that did not. */
export interface DecodedBatch {
  /** NHWC float32 pixels of `files`, normalized. */
  pixels: Float32Array;
  /** The files whose pixels these are, in the batch's order. */
  files: string[];
  /** The files of the batch that did not decode, each naming its file. */
  failed: ImageDecodeError[];
}

export interface DecodedBatchesOptions {
  /** RGB bytes of one image file, `imageSize` pixels (e.g. `ImageFileDecoder.decode`). */
  decode(file: string): Promise<Uint8Array>;
  /** [height, width] of the decoded images. */
  imageSize: readonly [number, number];
  /** The files of each batch, in order. */
  batches: readonly (readonly string[])[];
  normalization: NormalizationPreset;
  /** Bytes of float32 pixels decoded ahead of `next()` (at least one batch). */
  aheadBytes?: number;
}

/**
 * Decodes batches of image files into normalized NHWC float32 pixels, in order, a bounded number of
 * batches ahead of the consumer. Each batch's files are decoded at once, so every worker is busy.
 */
export class DecodedBatches {
  private readonly ahead: Array<Promise<DecodedBatch>> = [];
  private readonly batchesAhead: number;
  private queued = 0;

  constructor(private readonly options: DecodedBatchesOptions) {
    const [height, width] = options.imageSize;
    const largest = Math.max(1, ...options.batches.map((files) => files.length));
    const batchBytes = largest * height * width * 3 * Float32Array.BYTES_PER_ELEMENT;
    this.batchesAhead = Math.max(1, Math.floor((options.aheadBytes ?? DEFAULT_DECODE_AHEAD_BYTES) / batchBytes));
    this.fill();
  }

  /** The next batch's pixels; rejects with an ImageDecodeError naming the first file that failed. */
  async next(): Promise<Float32Array> {
    const batch = await this.nextBatch();
    if (batch.failed.length > 0) throw batch.failed[0];
    return batch.pixels;
  }

  /** The next batch: the pixels of the files that decoded, and the files that did not (to skip them). */
  async nextBatch(): Promise<DecodedBatch> {
    const batch = this.ahead.shift();
    if (!batch) throw new Error('DecodedBatches.next: no batches left');
    this.fill();
    return batch;
  }

  /** Batches decoded or being decoded, not yet taken by `next()`. */
  get pending(): number {
    return this.ahead.length;
  }

  /** Waits for the decodes in flight; their errors are dropped (the caller has stopped reading). */
  async close(): Promise<void> {
    await Promise.all(this.ahead.splice(0).map((batch) => batch.catch(() => undefined)));
  }

  private fill(): void {
    const { batches } = this.options;
    while (this.ahead.length < this.batchesAhead && this.queued < batches.length) {
      const decoding = this.decode(batches[this.queued++]);
      // Marked handled: if an earlier batch fails, that error is the one reported.
      decoding.catch(() => undefined);
      this.ahead.push(decoding);
    }
  }

  private async decode(files: readonly string[]): Promise<DecodedBatch> {
    const { imageSize, normalization } = this.options;
    const perImage = imageSize[0] * imageSize[1] * 3;
    const results = await Promise.allSettled(files.map((file) => this.options.decode(file)));
    const decoded = files.filter((_, i) => results[i].status === 'fulfilled');
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [new ImageDecodeError(files[i], asError(result.reason))] : []));
    const pixels = new Float32Array(decoded.length * perImage);
    let at = 0;
    for (const result of results) {
      if (result.status !== 'fulfilled') continue;
      const image = pixels.subarray(at * perImage, (at + 1) * perImage);
      image.set(result.value);
      normalizeInPlace(image, normalization);
      at++;
    }
    return { pixels, files: decoded, failed };
  }
}

const asError = (reason: unknown): Error => (reason instanceof Error ? reason : new Error(String(reason)));
