import type { OnError } from '@resnet-ts/data';
import { ImageFileDecoder } from '@resnet-ts/data/node';
import type { ClassScore } from '@resnet-ts/zoo';
import type { InferenceEngine } from '../engine';
import type { ClassifyOptions, Predictor } from '../predictor';
import { DecodedBatches } from './decoded-batches';

export interface ClassifyFilesOptions extends ClassifyOptions {
  /** Images per forward pass. Default 16. */
  batchSize?: number;
  /** Image decode worker threads. Default: `@resnet-ts/data`'s (cores - 1, within 1..4). */
  workers?: number;
  /** Bytes of decoded pixels held ahead of the model. Default `DEFAULT_DECODE_AHEAD_BYTES` (128 MiB). */
  aheadBytes?: number;
  /** 'throw' (default): the first image that does not decode fails the call. 'skip': warn, leave it out, list it in `failed`. */
  onError?: OnError;
  /** Receives one warning per skipped image. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** The ranked classes of one image file. */
export interface FilePrediction {
  file: string;
  top: ClassScore[];
}

/** An image file that did not decode. */
export interface FileFailure {
  file: string;
  /** What went wrong, naming the file. */
  error: string;
}

export interface ClassifyFilesResult {
  /** The engine that ran. */
  engine: InferenceEngine;
  /** One per file that decoded, in the order given. */
  predictions: FilePrediction[];
  /** The files left out with `onError: 'skip'`, in order, and why (empty otherwise). */
  failed: FileFailure[];
  /** Time spent in the model, in milliseconds: decoding excluded, after one warm-up pass. */
  modelMs: number;
}

/**
 * Classifies image files in batches. Decoding (worker threads of `@resnet-ts/data`, resized to the
 * predictor's input size and normalized as its card says) starts at once, while the engine loads,
 * and runs ahead of the model; an image that does not decode is an `ImageDecodeError` naming it,
 * or with `onError: 'skip'` a warning and an entry of `failed`.
 */
export async function classifyFiles(predictor: Predictor, files: readonly string[], options: ClassifyFilesOptions = {}): Promise<ClassifyFilesResult> {
  const { batchSize = 16, topK, onError = 'throw' } = options;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const [height, width, channels] = predictor.input.size;
  if (channels !== 3) throw new Error(`classifyFiles: the model expects ${channels} channels; image files decode to RGB`);
  const batches: string[][] = [];
  for (let start = 0; start < files.length; start += batchSize) batches.push(files.slice(start, start + batchSize));
  const decoder = new ImageFileDecoder({ imageSize: [height, width], ...(options.workers ? { workers: options.workers } : {}) });
  const decoded = new DecodedBatches({
    decode: (file) => decoder.decode(file),
    imageSize: [height, width],
    batches,
    normalization: predictor.input.normalization,
    ...(options.aheadBytes ? { aheadBytes: options.aheadBytes } : {}),
  });
  try {
    const engine = await predictor.ready();
    // One warm-up pass so the model time excludes one-time kernel compilation.
    await predictor.classify(new Float32Array(height * width * channels), { topK: 1 });
    const predictions: FilePrediction[] = [];
    const failed: FileFailure[] = [];
    let modelMs = 0;
    for (let b = 0; b < batches.length; b++) {
      const batch = await decoded.nextBatch();
      if (batch.failed.length > 0 && onError !== 'skip') throw batch.failed[0];
      for (const failure of batch.failed) {
        failed.push({ file: failure.file, error: failure.message });
        warn(`Skipping ${failure.message}`);
      }
      if (batch.files.length === 0) continue;
      const started = performance.now();
      const ranked = await predictor.classify(batch.pixels, { topK });
      modelMs += performance.now() - started;
      ranked.forEach((top, i) => predictions.push({ file: batch.files[i], top }));
    }
    return { engine, predictions, failed, modelMs };
  } finally {
    await decoded.close();
    await decoder.pool.terminate();
  }
}
