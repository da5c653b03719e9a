import type { Command } from 'commander';
import { Option } from 'commander';
import { NORMALIZATION_PRESETS, type NormalizationPreset } from '@resnet-ts/data';
import { ClassNamesMismatchError, ENGINE_CHOICES, EngineError, type EngineChoice } from '@resnet-ts/inference';
import { classifyFiles, ImageDecodeError, listImageFiles, openPredictor, type FileFailure, type FilePrediction } from '@resnet-ts/inference/node';
import type { OnErrorChoice } from '@resnet-ts/trainer';
import { onErrorOption } from '../bad-input';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { positiveInteger } from '../options';
import { resolveLabels } from './predict-labels';
import { formatTable, printJson, printLine, warnLine } from '../output';

interface PredictFlags {
  topK: number;
  batchSize: number;
  normalization?: NormalizationPreset;
  classNames?: string;
  labels?: string;
  workers?: number;
  engine: EngineChoice;
  onError?: OnErrorChoice;
  json?: boolean;
}

/** The JSON `resnet predict --json` prints. */
export interface PredictJson {
  model: string;
  /** The normalization preset the images were given (--normalization, else the model card's). */
  normalization: string;
  predictions: FilePrediction[];
  /** Images that could not be read (--on-error skip); the command then exits 1. */
  failed: FileFailure[];
  /** Mean model time per image ranked (decode excluded), in milliseconds. */
  latencyMs: number;
  images: number;
}

/** An engine that cannot run, worded for the flag that chose it; an image that does not decode, with the flag that skips it. */
const engineFlagError = (error: unknown) => {
  if (error instanceof ImageDecodeError) throw new CliError(`${error.message} (--on-error skip ranks the other images and reports this one)`);
  throw error instanceof EngineError ? new CliError(`--engine ${error.engine} ${error.problem}`) : error;
};

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
    .option('--labels <source>', "class names from 'imagenet' (the 1000 ImageNet classes, offline) or a Keras class_index.json")
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(
      new Option('--engine <name>', 'inference engine; auto uses onnxruntime-node when it is installed, else tfjs').choices(ENGINE_CHOICES).default('auto'),
    )
    .addOption(onErrorOption('rank the others, exit 1 at the end'))
    .option('--json', 'print JSON')
    .action(async (modelPath: string, inputs: string[], flags: PredictFlags) => {
      const files = await listImageFiles(inputs, { onWarning: warnLine }).catch((error: Error) => {
        throw new UsageError(error.message);
      });
      const labels = await resolveLabels(flags);
      const predictor = await openPredictor(modelPath, {
        engine: flags.engine,
        threads: context.globals().threads,
        ...(flags.normalization ? { normalization: flags.normalization } : {}),
        ...(labels ? { classNames: labels.classNames } : {}),
        beforeTfjsLoad: () => context.backend(),
        onWarning: warnLine,
      })
        .catch((error: unknown) => {
          // Names that do not fit the model's outputs: say which flag gave them.
          throw labels && error instanceof ClassNamesMismatchError ? new CliError(`${labels.flag}: ${error.message}`) : error;
        })
        .catch(engineFlagError);
      if (predictor.cardNotice && !flags.normalization) warnLine(`${predictor.source}: ${predictor.cardNotice}`);
      const { predictions, failed, modelMs, engine } = await classifyFiles(predictor, files, {
        batchSize: flags.batchSize,
        topK: flags.topK,
        ...(flags.workers ? { workers: flags.workers } : {}),
        onError: flags.onError === 'skip' ? 'skip' : 'throw',
        onWarning: (message) => warnLine(`resnet: ${message}`),
      })
        .catch(engineFlagError)
        .finally(() => predictor.dispose());
      const latencyMs = predictions.length > 0 ? modelMs / predictions.length : 0;
      const json: PredictJson = { model: predictor.source, normalization: predictor.input.normalization, predictions, failed, latencyMs, images: files.length };
      if (flags.json) {
        printJson(json);
      } else {
        const rows = predictions.map((p) => [p.file, p.top.map((c) => `${c.className} ${(c.probability * 100).toFixed(1)}%`).join(', ')]);
        if (rows.length > 0) printLine(formatTable(['image', `top-${predictions[0].top.length}`], rows));
        printLine(`${predictions.length} images, ${latencyMs.toFixed(1)} ms per image (model only, batches of ${flags.batchSize}, ${engine} engine)`);
      }
      // The good images are printed; the exit status still says that some could not be read.
      if (failed.length > 0) throw new CliError(`${failed.length} of ${files.length} images could not be read (--on-error skip; see the warnings above)`);
    });
}
