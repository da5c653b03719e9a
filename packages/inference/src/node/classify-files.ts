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
}

/** The ranked classes of one image file. */
export interface FilePrediction {
  file: string;
  top: ClassScore[];
}

export interface ClassifyFilesResult {
  /** The engine that ran. */
  engine: InferenceEngine;
  /** One per file, in the order given. */
  predictions: FilePrediction[];
  /** Time spent in the model, in milliseconds: decoding excluded, after one warm-up pass. */
  modelMs: number;
}

/**
 * Classifies image files in batches. Decoding (worker threads of `@resnet-ts/data`, resized to the
 * predictor's input size and normalized as its card says) starts at once, while the engine loads,
 * and runs ahead of the model; an image that does not decode is an `ImageDecodeError` naming it.
 */
export async function classifyFiles(predictor: Predictor, files: readonly string[], options: ClassifyFilesOptions = {}): Promise<ClassifyFilesResult> {
  const { batchSize = 16, topK } = options;
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
    let modelMs = 0;
    for (const batchFiles of batches) {
      const pixels = await decoded.next();
      const started = performance.now();
      const ranked = await predictor.classify(pixels, { topK });
      modelMs += performance.now() - started;
      ranked.forEach((top, i) => predictions.push({ file: batchFiles[i], top }));
    }
    return { engine, predictions, modelMs };
  } finally {
    await decoded.close();
    await decoder.pool.terminate();
  }
}
