import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { NORMALIZATION_PRESETS, SYNTHETIC_DIFFICULTIES } from '@resnet-ts/data';
import { listOptimizers, listSchedules, NonFiniteLossError, progressCallback, recipeHash, serializeRecipe } from '@resnet-ts/trainer';
import { openDataSource, readRunInfo, resumeRun, trainRun, type RunResult } from '@resnet-ts/trainer/node';
import { createModel, getModelConfig, listModels, modelCardFor, writeModelCard, type ResNetOptions } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { integerAtLeast, positiveInteger } from '../options';
import { printJson, printLine, warnLine } from '../output';
import { addFeatureCacheOptions, featureCacheReport } from './train-feature-cache';
import { RECIPE_HELP, trainRecipe } from './train-recipe';

/** Exit code after Ctrl-C: the checkpoint was saved; `--resume` continues (128 + SIGINT, as shells do). */
export const EXIT_INTERRUPTED = 130;

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number.');
  return n;
};
const nonNegativeNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('Expected a number >= 0.');
  return n;
};
const fraction = (value: string): number => {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('Expected a number between 0 and 1.');
  return n;
};

function defaultRunDir(model: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${model}-${stamp}`);
}

/** Ctrl-C once: stop after the current batch, save, exit 130. Twice: exit now. */
function interruptOnSigint(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    warnLine('resnet: interrupted; saving a checkpoint (Ctrl-C again to quit without saving)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}

/** The flags commander parsed: the recipe flags (see train-recipe.ts) and these. */
interface TrainFlags extends Record<string, unknown> {
  config?: string;
  resume?: string;
  json?: boolean;
  printRecipe?: boolean;
  epochs?: number;
  workers?: number;
  preciseBn?: number;
}

export function registerTrain(program: Command, context: CliContext): void {
  const command = program
    .command('train')
    .description('train a ResNet classifier (no --data: a short run on synthetic shapes) into a run folder with checkpoints and report.html')
    .option('--data <path>', 'image folder (class subfolders, optional train/val), .csv manifest, .h5 file, or "synthetic"')
    .option('--config <file>', 'JSON or YAML recipe file (model/data/training sections, or flag names in camelCase); flags win over it')
    .option('--resume <run>', 'continue the run in this folder from its last checkpoint')
    .addOption(new Option('--model <name>', 'model variant (default resnet50)').choices(listModels()))
    .addOption(new Option('--input-size <n>', 'input height and width (default 64; 32 for synthetic)').argParser(integerAtLeast(32)))
    .addOption(new Option('--batch-size <n>', 'batch size (default 32)').argParser(positiveInteger))
    .addOption(new Option('--epochs <n>', 'epochs (default 20)').argParser(positiveInteger))
    .addOption(new Option('--lr <rate>', 'base / peak learning rate (default 0.001)').argParser(positiveNumber))
    .addOption(new Option('--optimizer <name>', 'optimizer (default adam)').choices(listOptimizers()))
    .addOption(new Option('--momentum <m>', 'momentum for sgd and rmsprop (default 0, as Keras)').argParser(nonNegativeNumber))
    .option('--nesterov', 'Nesterov momentum (sgd)')
    .addOption(new Option('--schedule <name>', 'learning-rate schedule (default constant)').choices(listSchedules()))
    .addOption(new Option('--warmup-epochs <n>', 'linear warmup for --schedule cosine').argParser(nonNegativeNumber))
    .addOption(new Option('--step-every <epochs>', 'decay interval for --schedule step (required with it)').argParser(positiveNumber))
    .addOption(new Option('--weight-decay <wd>', 'decoupled weight decay (AdamW/SGDW), not on biases and BatchNorm').argParser(nonNegativeNumber))
    .addOption(new Option('--label-smoothing <s>', 'label smoothing').argParser(nonNegativeNumber))
    .addOption(new Option('--clip-norm <n>', 'clip gradients to this global norm (default: off; 1 on synthetic data)').argParser(nonNegativeNumber))
    .option('--augment', 'training augmentation (flips, crops, rotation, colour jitter)')
    .option('--no-augment', 'no training augmentation (default)')
    .option('--zero-init-residual', 'start each residual branch at zero, as timm does (default)')
    .option('--no-zero-init-residual', "Keras's initialisation of every layer")
    .addOption(new Option('--normalization <preset>', 'pixel normalization (default unit: /255, as the notebook)').choices(NORMALIZATION_PRESETS))
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(new Option('--seed <n>', 'seed of split, shuffling and augmentation (default 0)').argParser(integerAtLeast(0)))
    .option('--out <dir>', 'run folder (default runs/<model>-<time>)')
    .addOption(new Option('--steps-per-epoch <n>', 'train at most this many batches per epoch').argParser(positiveInteger))
    .addOption(new Option('--early-stopping <patience>', 'stop when val_loss has not improved for this many epochs').argParser(positiveInteger))
    .addOption(new Option('--ema <decay>', 'keep an exponential moving average of the weights').argParser(fraction))
    .option('--freeze-backbone', 'train only the classifier head')
    .option('--unfreeze-from <prefix>', 'train layers from the first one named with this prefix (e.g. conv5_)')
    .addOption(new Option('--unfreeze-epoch <n>', 'epoch (0-based) at which --unfreeze-from applies').argParser(integerAtLeast(0)))
  addFeatureCacheOptions(command);
  command
    .addOption(new Option('--checkpoint-every <steps>', 'also checkpoint every this many steps').argParser(positiveInteger))
    .addOption(
      new Option('--precise-bn <batches>', 'before validating, average BatchNorm statistics over this many training batches; 0: off (default 0; 8 on synthetic data)').argParser(
        integerAtLeast(0),
      ),
    )
    .addOption(new Option('--val-fraction <f>', 'validation fraction when the data has no val split (default 0.2)').argParser(fraction))
    .addOption(new Option('--synthetic-train <n>', 'synthetic training images (default 768)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-val <n>', 'synthetic validation images (default 96)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-difficulty <level>', 'clutter of the synthetic images (default easy)').choices(SYNTHETIC_DIFFICULTIES))
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .option('--print-recipe', 'print the run\'s recipe as JSON (also valid YAML for --config) and exit without training')
    .addHelpText('after', RECIPE_HELP)
    .action(async (flags: TrainFlags, command: Command) => {
      const explicit = Object.fromEntries(
        Object.entries(flags).filter(([key]) => command.getOptionValueSource(key) === 'cli' || command.getOptionValueSource(key) === 'env'),
      ) as TrainFlags;
      if (flags.resume) {
        await resumeCommand(flags.resume, explicit, context);
        return;
      }
      const { config, resume: _r, json: _j, printRecipe, ...settings } = explicit;
      // The whole run is settled (and every bad value reported, exit 2) before anything is opened.
      const { recipe, out } = await trainRecipe(settings, config);
      if (printRecipe) {
        printLine(serializeRecipe(recipe));
        return;
      }
      const { model: spec, data } = recipe;
      const [height, width] = data.imageSize;
      const backend = await context.backend();
      const opened = await openDataSource(data);
      const runDir = out ?? defaultRunDir(spec.name);
      const source = data.kind === 'synthetic' ? 'synthetic shapes' : data.path;
      try {
        getModelConfig(spec.name);
        const modelOptions: ResNetOptions = {
          inputShape: [height, width, 3],
          classes: opened.classNames.length,
          zeroInitResidual: spec.zeroInitResidual,
          seed: spec.seed,
        };
        const model = createModel(spec.name, modelOptions);
        // The model card travels with every saved model so `predict`, `export` and the demo know the classes and normalization.
        const extras = {
          classNames: opened.classNames,
          preprocessing: { normalization: data.normalization },
          weights: { source: 'trained' as const },
          recipeHash: recipeHash(recipe),
        };
        writeModelCard(model, modelCardFor(spec.name, modelOptions, extras));
        const log = flags.json ? warnLine : printLine;
        log(
          `training ${spec.name} on ${source} ` +
            `(${opened.train.size} train / ${opened.val.size} val images, ${opened.classNames.length} classes, ` +
            `${height}x${width}) on ${backend.backend}; run folder ${runDir}`,
        );
        const run = await withInterrupt((signal) =>
          trainRun({
            runDir,
            model,
            train: opened.train,
            val: opened.val,
            ...recipe.training,
            recipe: { model: spec, data },
            callbacks: [featureCacheReport(log), progressOf(flags.json === true)],
            signal,
            title: `${spec.name} on ${source}`,
          }),
        );
        report(run, flags.json === true);
        model.dispose();
      } finally {
        await opened.dispose();
      }
    });
}

function progressOf(json: boolean) {
  const stream = json ? process.stderr : process.stdout;
  return progressCallback({ write: (text) => stream.write(text), tty: stream.isTTY === true });
}

async function withInterrupt(fn: (signal: AbortSignal) => Promise<RunResult>): Promise<RunResult> {
  const interrupt = interruptOnSigint();
  try {
    return await fn(interrupt.signal);
  } catch (error) {
    if (error instanceof NonFiniteLossError) throw new CliError(error.message);
    throw error;
  } finally {
    interrupt.release();
  }
}

function report(run: RunResult, json: boolean): void {
  const { result, evaluation } = run;
  if (result.stopReason === 'aborted') {
    warnLine(`resnet: checkpoint saved at step ${result.step}; continue with: resnet train --resume ${run.runDir}`);
    throw new CliError(`training interrupted (run folder ${run.runDir})`, EXIT_INTERRUPTED);
  }
  const summary = {
    runDir: run.runDir,
    stopReason: result.stopReason,
    epochs: result.epochsCompleted,
    steps: result.step,
    history: result.history,
    ...(evaluation
      ? {
          evaluation: {
            loss: evaluation.loss,
            accuracy: evaluation.accuracy,
            ...(evaluation.top5 !== undefined ? { top5: evaluation.top5 } : {}),
            macroF1: evaluation.macro.f1,
            count: evaluation.count,
          },
        }
      : {}),
    report: join(run.runDir, 'report.html'),
  };
  if (json) {
    printJson(summary);
    return;
  }
  if (evaluation) {
    printLine(
      `validation: accuracy ${evaluation.accuracy.toFixed(4)}, loss ${evaluation.loss.toFixed(4)}` +
        (evaluation.top5 !== undefined ? `, top-5 ${evaluation.top5.toFixed(4)}` : '') +
        ` (${evaluation.count} images)`,
    );
  }
  printLine(`run folder: ${run.runDir}`);
  printLine(`report: ${summary.report}`);
}

async function resumeCommand(runDir: string, explicit: TrainFlags, context: CliContext): Promise<void> {
  const info = await readRunInfo(runDir);
  if (!info) throw new UsageError(`--resume ${runDir}: not a run folder (no run.json)`);
  // Settings that do not change the trained weights (precise BN only touches BatchNorm statistics).
  const allowed = new Set(['epochs', 'json', 'resume', 'workers', 'preciseBn', 'printRecipe']);
  const ignored = Object.keys(explicit).filter((key) => !allowed.has(key));
  if (ignored.length > 0) {
    throw new UsageError(`--resume continues with the run's saved settings; only --epochs, --workers and --precise-bn may change (got --${ignored.join(', --')})`);
  }
  const { recipe } = info;
  if (explicit.printRecipe) {
    printLine(serializeRecipe(recipe));
    return;
  }
  if (!recipe.data) throw new CliError(`${runDir}: run.json has no data source; it was not written by \`resnet train\``);
  await context.backend();
  const opened = await openDataSource({ ...recipe.data, ...(explicit.workers !== undefined ? { workers: explicit.workers } : {}) });
  try {
    const log = explicit.json ? warnLine : printLine;
    log(`resuming ${runDir} (${recipe.model.name})`);
    const run = await withInterrupt((signal) =>
      resumeRun({
        runDir,
        train: opened.train,
        val: opened.val,
        ...(explicit.epochs !== undefined ? { epochs: explicit.epochs } : {}),
        ...(explicit.preciseBn !== undefined ? { preciseBnBatches: explicit.preciseBn } : {}),
        callbacks: [featureCacheReport(log), progressOf(explicit.json === true)],
        signal,
      }),
    );
    report(run, explicit.json === true);
    (run as { model?: { dispose(): void } }).model?.dispose();
  } finally {
    await opened.dispose();
  }
}
