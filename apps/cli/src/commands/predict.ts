import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { checkNormalization, IMAGE_EXTENSIONS, normalizeInPlace, NORMALIZATION_PRESETS } from '@resnet-ts/data';
import { ImageFileDecoder } from '@resnet-ts/data/node';
import { predict, type ClassScore } from '@resnet-ts/trainer';
import type { CliContext } from '../context';
import { engineOption, openPredictModel, type PredictEngineChoice } from '../onnx';
import { CliError, UsageError } from '../errors';
import { positiveInteger } from '../options';
import { formatTable, printJson, printLine } from '../output';

/** Batches decoded ahead of the model, so decoding overlaps inference (bounded memory). */
const PREFETCH_BATCHES = 4;

interface PredictFlags {
  topK: number;
  batchSize: number;
  normalization?: string;
  classNames?: string;
  workers?: number;
  engine: PredictEngineChoice;
  json?: boolean;
}

/** The JSON `resnet predict --json` prints. */
export interface PredictJson {
  model: string;
  predictions: Array<{ file: string; top: ClassScore[] }>;
  /** Mean model time per image (decode excluded), in milliseconds. */
  latencyMs: number;
  images: number;
}

/** Files named on the command line, plus the images inside named folders (recursively, sorted). */
export async function collectImages(inputs: readonly string[]): Promise<string[]> {
  const extensions = new Set(IMAGE_EXTENSIONS.map((e) => e.toLowerCase()));
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (extensions.has(extname(entry.name).toLowerCase())) out.push(full);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new UsageError(`${input}: no such image file or folder`);
    if (info.isDirectory()) await walk(resolve(input));
    else out.push(resolve(input));
  }
  if (out.length === 0) throw new UsageError(`no images found in ${inputs.join(', ')} (extensions: ${[...extensions].join(' ')})`);
  return out;
}

export function registerPredict(program: Command, context: CliContext): void {
  program
    .command('predict')
    .description('classify images with a trained model: top-k classes with names and probabilities, and latency')
    .argument('<model>', 'run folder from `resnet train`, a tfjs model folder, or an .onnx file from `resnet export --format onnx`')
    .argument('<images...>', 'image files or folders of images')
    .addOption(new Option('--top-k <k>', 'classes per image').argParser(positiveInteger).default(5))
    .addOption(new Option('--batch-size <n>', 'images per forward pass').argParser(positiveInteger).default(16))
    .addOption(new Option('--normalization <preset>', "pixel normalization (default: the run's, else unit)").choices(NORMALIZATION_PRESETS))
    .option('--class-names <names>', 'comma-separated class names, when the model does not carry them')
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(engineOption())
    .option('--json', 'print JSON')
    .action(async (modelPath: string, inputs: string[], flags: PredictFlags) => {
      const files = await collectImages(inputs);
      const flagClassNames = flags.classNames ? flags.classNames.split(',').map((s) => s.trim()) : undefined;
      const opened = await openPredictModel(modelPath, flags.engine, context, flagClassNames);
      const { model, onnx } = opened;
      const [height, width, channels] = opened.inputSize;
      const classNames = flagClassNames ?? opened.classNames;
      const normalization = checkNormalization(flags.normalization ?? opened.normalization ?? 'unit');
      if (channels !== 3) throw new CliError(`${opened.source}: the model expects ${channels} channels; predict feeds RGB images`);
      const decoder = new ImageFileDecoder({ imageSize: [height, width], ...(flags.workers ? { workers: flags.workers } : {}) });
      const predictions: PredictJson['predictions'] = [];
      let modelMs = 0;
      // One warm-up pass so the latency excludes one-time kernel compilation.
      if (model) tf.tidy(() => model.predict(tf.zeros([1, height, width, 3])));
      else await onnx!.predict(new Float32Array(height * width * 3), 1, 1);
      // Decode a whole batch at once (every worker busy), and the next ones while the model runs.
      const decodeBatch = async (batchFiles: string[]): Promise<Float32Array> => {
        const pixels = new Float32Array(batchFiles.length * height * width * 3);
        await Promise.all(batchFiles.map(async (file, i) => {
          const rgb = await decoder.decode(file).catch((error: Error) => {
            throw new CliError(`${file}: ${error.message}`);
          });
          const values = Float32Array.from(rgb);
          normalizeInPlace(values, normalization);
          pixels.set(values, i * height * width * 3);
        }));
        return pixels;
      };
      const batches: string[][] = [];
      for (let start = 0; start < files.length; start += flags.batchSize) batches.push(files.slice(start, start + flags.batchSize));
      // Decoded batches waiting for the model, in order; at most PREFETCH_BATCHES ahead.
      const ahead: Array<Promise<Float32Array>> = [];
      const prefetch = (b: number) => {
        if (b >= batches.length) return;
        const decoding = decodeBatch(batches[b]);
        // Mark it handled: if an earlier batch fails, that error is the one reported.
        decoding.catch(() => undefined);
        ahead.push(decoding);
      };
      try {
        for (let b = 0; b < Math.min(PREFETCH_BATCHES, batches.length); b++) prefetch(b);
        for (const [b, batchFiles] of batches.entries()) {
          const pixels: Float32Array = await ahead.shift()!;
          prefetch(b + PREFETCH_BATCHES);
          if (onnx) {
            const t0 = performance.now();
            const result = await onnx.predict(pixels, batchFiles.length, flags.topK);
            modelMs += performance.now() - t0;
            result.forEach((p, i) => predictions.push({ file: batchFiles[i], top: p.top }));
            continue;
          }
          const images = tf.tensor4d(pixels, [batchFiles.length, height, width, 3]);
          try {
            const t0 = performance.now();
            const result = await predict(model!, images, { topK: flags.topK, ...(classNames ? { classNames } : {}) });
            modelMs += performance.now() - t0;
            result.forEach((p, i) => predictions.push({ file: batchFiles[i], top: p.top }));
          } finally {
            images.dispose();
          }
        }
      } finally {
        await Promise.all(ahead.map((decoding) => decoding.catch(() => undefined)));
        await decoder.pool.terminate();
        await opened.dispose();
      }
      const json: PredictJson = { model: opened.source, predictions, latencyMs: modelMs / files.length, images: files.length };
      if (flags.json) {
        printJson(json);
        return;
      }
      const rows = predictions.map((p) => [
        p.file,
        p.top.map((c) => `${c.className} ${(c.probability * 100).toFixed(1)}%`).join(', '),
      ]);
      printLine(formatTable(['image', `top-${Math.min(flags.topK, p0(predictions))}`], rows));
      printLine(`${files.length} images, ${json.latencyMs.toFixed(1)} ms per image (model only, batches of ${flags.batchSize}, ${opened.engine} engine)`);
    });
}

function p0(predictions: PredictJson['predictions']): number {
  return predictions[0]?.top.length ?? 0;
}
