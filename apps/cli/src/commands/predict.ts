import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { checkNormalization, IMAGE_EXTENSIONS, NORMALIZATION_PRESETS } from '@resnet-ts/data';
import { ImageFileDecoder } from '@resnet-ts/data/node';
import type { ClassScore } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { engineOption, openPredictModel, type PredictEngineChoice } from '../onnx';
import { CliError, UsageError } from '../errors';
import { positiveInteger } from '../options';
import { DecodedBatches } from './predict-batches';
import { formatTable, printJson, printLine, warnLine } from '../output';

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
  /** The normalization preset the images were given (--normalization, else the model card's). */
  normalization: string;
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
    .addOption(new Option('--normalization <preset>', "pixel normalization (default: the model card's, else unit)").choices(NORMALIZATION_PRESETS))
    .option('--class-names <names>', 'comma-separated class names, when the model does not carry them')
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(engineOption())
    .option('--json', 'print JSON')
    .action(async (modelPath: string, inputs: string[], flags: PredictFlags) => {
      const files = await collectImages(inputs);
      const flagClassNames = flags.classNames ? flags.classNames.split(',').map((s) => s.trim()) : undefined;
      const model = await openPredictModel(modelPath, flags.engine, context, flagClassNames);
      const predictions: PredictJson['predictions'] = [];
      let modelMs = 0;
      let engine = '';
      // The card's value is schema-checked and the flag's a commander choice: this narrows, it does not throw.
      const normalization = checkNormalization(flags.normalization ?? model.card.preprocessing.normalization);
      if (model.cardNotice && !flags.normalization) warnLine(`${model.source}: ${model.cardNotice}`);
      try {
        const [height, width, channels] = model.inputSize;
        if (channels !== 3) throw new CliError(`${model.source}: the model expects ${channels} channels; predict feeds RGB images`);
        const batches: string[][] = [];
        for (let start = 0; start < files.length; start += flags.batchSize) batches.push(files.slice(start, start + flags.batchSize));
        // Decoding starts now, while the engine loads, and runs ahead of the model.
        const decoder = new ImageFileDecoder({ imageSize: [height, width], ...(flags.workers ? { workers: flags.workers } : {}) });
        const decoded = new DecodedBatches({ decode: (file) => decoder.decode(file), imageSize: [height, width], batches, normalization });
        try {
          const runner = await model.ready();
          engine = runner.engine;
          // One warm-up pass so the latency excludes one-time kernel compilation.
          await runner.predict(new Float32Array(height * width * 3), 1, 1);
          for (const batchFiles of batches) {
            const pixels = await decoded.next();
            const t0 = performance.now();
            const result = await runner.predict(pixels, batchFiles.length, flags.topK);
            modelMs += performance.now() - t0;
            result.forEach((top, i) => predictions.push({ file: batchFiles[i], top }));
          }
        } finally {
          await decoded.close();
          await decoder.pool.terminate();
        }
      } finally {
        await model.dispose();
      }
      const json: PredictJson = { model: model.source, normalization, predictions, latencyMs: modelMs / files.length, images: files.length };
      if (flags.json) {
        printJson(json);
        return;
      }
      const rows = predictions.map((p) => [
        p.file,
        p.top.map((c) => `${c.className} ${(c.probability * 100).toFixed(1)}%`).join(', '),
      ]);
      printLine(formatTable(['image', `top-${Math.min(flags.topK, p0(predictions))}`], rows));
      printLine(`${files.length} images, ${json.latencyMs.toFixed(1)} ms per image (model only, batches of ${flags.batchSize}, ${engine} engine)`);
    });
}

function p0(predictions: PredictJson['predictions']): number {
  return predictions[0]?.top.length ?? 0;
}
