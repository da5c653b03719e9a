import type { Command } from 'commander';
import { Option } from 'commander';
import { checkNormalization, NORMALIZATION_PRESETS } from '@resnet-ts/data';
import { evaluate, type EvaluationResult, type OnErrorChoice } from '@resnet-ts/trainer';
import {
  defaultEvaluationSplit,
  detectDataSource,
  EVALUATION_SPLITS,
  evaluationDataset,
  loadRunModel,
  openDataSource,
  type DataSourceSpec,
  type EvaluationSplit,
} from '@resnet-ts/trainer/node';
import { resolve } from 'node:path';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { h5Keys, positiveInteger } from '../options';
import { formatTable, printJson, printLine, warnLine } from '../output';
import { ALLOW_OUTSIDE_ROOT_HELP, onErrorOption, rewordUnreadable, warnSkipped } from '../bad-input';

interface EvaluateFlags {
  data?: string;
  split?: EvaluationSplit;
  h5Keys?: NonNullable<DataSourceSpec['hdf5Keys']>;
  batchSize: number;
  normalization?: string;
  workers?: number;
  onError?: OnErrorChoice;
  allowOutsideRoot?: boolean;
  json?: boolean;
}

/** The JSON `resnet evaluate --json` prints. */
export interface EvaluateJson {
  model: string;
  data: string;
  split: EvaluationSplit;
  /** The normalization preset the images were given. */
  normalization: string;
  count: number;
  loss: number;
  accuracy: number;
  top5?: number;
  macro: EvaluationResult['macro'];
  perClass: EvaluationResult['perClass'];
  confusion: number[][];
  classNames: string[];
  seconds: number;
  /** Images left out with --on-error skip (not in `count`). */
  skipped: number;
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

export function registerEvaluate(program: Command, context: CliContext): void {
  program
    .command('evaluate')
    .description('evaluate a trained model (run folder or tfjs model folder): loss, accuracy, per-class metrics, confusion matrix')
    .argument('<model>', 'run folder from `resnet train`, or a tfjs model folder')
    .option('--data <path>', "image folder, .csv, .h5 or \"synthetic\" (default: the run's own data)")
    .addOption(
      new Option('--split <name>', "which examples: the source's test split when it has one, else all of a plain folder or CSV the run did not train on, else val").choices(
        EVALUATION_SPLITS,
      ),
    )
    .addOption(new Option('--h5-keys <x,y[,classes]>', 'HDF5 datasets of the images, labels and class names (default train_set_x,train_set_y,list_classes)').argParser(h5Keys))
    .addOption(new Option('--batch-size <n>', 'batch size').argParser(positiveInteger).default(32))
    .addOption(new Option('--normalization <preset>', "pixel normalization (default: the run's, else the model card's, else unit)").choices(NORMALIZATION_PRESETS))
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(onErrorOption('leave it out of the metrics, count them at the end'))
    .option('--allow-outside-root', ALLOW_OUTSIDE_ROOT_HELP)
    .option('--json', 'print JSON instead of tables')
    .action(async (modelPath: string, flags: EvaluateFlags) => {
      await context.backend();
      const loaded = await loadRunModel(modelPath).catch((error: Error) => {
        throw new CliError(error.message);
      });
      const { model } = loaded;
      try {
        const runData = loaded.recipe?.data;
        if (!flags.data && !runData) throw new UsageError(`${modelPath} is not a run folder: give the data to evaluate on with --data`);
        const [, height, width] = model.inputs[0].shape as number[];
        const { classNames } = loaded.card;
        const kind = flags.data
          ? await detectDataSource(flags.data).catch((error: Error) => {
              throw new UsageError(`--data ${flags.data}: ${error.message}`);
            })
          : runData!.kind;
        if (flags.h5Keys && kind !== 'hdf5') throw new UsageError(`--h5-keys: ${flags.data ?? 'the run\'s data'} is not an HDF5 file`);
        const spec: DataSourceSpec = flags.data
          ? {
              kind,
              ...(flags.data !== 'synthetic' ? { path: flags.data } : {}),
              ...(flags.h5Keys ? { hdf5Keys: flags.h5Keys } : {}),
              imageSize: [height, width],
              normalization: checkNormalization(flags.normalization ?? loaded.card.preprocessing.normalization),
              ...(runData?.seed !== undefined ? { seed: runData.seed } : {}),
              ...(classNames && flags.data !== 'synthetic' ? { classNames } : {}),
            }
          : {
              ...runData!,
              ...(flags.normalization ? { normalization: checkNormalization(flags.normalization) } : {}),
              ...(flags.h5Keys ? { hdf5Keys: flags.h5Keys } : {}),
            };
        if (flags.data && loaded.cardNotice && !flags.normalization) warnLine(`${loaded.source}: ${loaded.cardNotice}`);
        const opened = await openDataSource({
          ...spec,
          augmentation: false,
          ...(flags.workers ? { workers: flags.workers } : {}),
          ...(flags.onError ? { onError: flags.onError } : {}),
          ...(flags.allowOutsideRoot ? { allowOutsideRoot: true } : {}),
        }).catch((error: Error) => {
          throw new CliError(error.message);
        });
        try {
          const dataName = spec.path ?? 'synthetic';
          const trainedOn = !flags.data || (runData?.path !== undefined && spec.path !== undefined && resolve(runData.path) === resolve(spec.path));
          const split = flags.split ?? defaultEvaluationSplit(spec, opened, trainedOn);
          if (split === 'all' && trainedOn && runData) warnLine(`--split all: ${dataName} is the data this run trained on, so these numbers are not held-out`);
          const dataset = (() => {
            try {
              return evaluationDataset(opened, split, dataName);
            } catch (error) {
              throw new UsageError(`--split ${split}: ${(error as Error).message}`);
            }
          })();
          checkClassCount(model, modelPath, opened.classNames.length, dataName);
          const started = performance.now();
          const result = await evaluate(model, dataset, { batchSize: flags.batchSize, classNames: classNames ?? opened.classNames }).catch((error: unknown) => {
            throw rewordUnreadable(error);
          });
          const seconds = (performance.now() - started) / 1000;
          const { misclassified: _m, ...rest } = result;
          const skipped = opened.skipped().length;
          const json: EvaluateJson = { model: loaded.source, data: dataName, split, normalization: spec.normalization ?? 'unit', ...rest, seconds, skipped };
          warnSkipped(skipped, `of the ${split} split`);
          if (flags.json) {
            printJson(json);
            return;
          }
          printLine(`${loaded.source} on ${json.data} (${split}, ${result.count} images, ${seconds.toFixed(1)} s)`);
          const headline = [['loss', result.loss.toFixed(4)], ['accuracy', pct(result.accuracy)]];
          if (result.top5 !== undefined) headline.push(['top-5 accuracy', pct(result.top5)]);
          headline.push(['macro F1', result.macro.f1.toFixed(4)]);
          printLine(formatTable(['metric', 'value'], headline, ['left', 'right']));
          printLine();
          printLine(
            formatTable(
              ['class', 'precision', 'recall', 'F1', 'support'],
              result.perClass.map((c) => [c.className, c.precision.toFixed(4), c.recall.toFixed(4), c.f1.toFixed(4), String(c.support)]),
              ['left', 'right', 'right', 'right', 'right'],
            ),
          );
          printLine();
          printLine('confusion matrix (rows: true class, columns: predicted)');
          printLine(
            formatTable(
              ['', ...result.classNames],
              result.confusion.map((row, i) => [result.classNames[i], ...row.map(String)]),
              ['left', ...result.classNames.map(() => 'right' as const)],
            ),
          );
        } finally {
          await opened.dispose();
        }
      } finally {
        model.dispose();
      }
    });
}

/** One line naming both counts, before any image is decoded, instead of an error from inside a batch. */
function checkClassCount(model: { outputs: { shape: (number | null)[] }[] }, modelPath: string, dataClasses: number, dataName: string): void {
  const modelClasses = model.outputs[0].shape.at(-1);
  if (modelClasses !== dataClasses) {
    throw new CliError(`${modelPath} predicts ${modelClasses} classes but ${dataName} has ${dataClasses}: evaluate on data with the model's classes`);
  }
}
