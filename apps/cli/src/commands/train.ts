import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { NORMALIZATION_PRESETS, SYNTHETIC_DIFFICULTIES } from '@resnet-ts/data';
import { listOptimizers, listSchedules, NonFiniteLossError, progressCallback, recipeHash, serializeRecipe, type StepEngineFactory } from '@resnet-ts/trainer';
import { KEEP_CHECKPOINTS, openDataSource, readRunInfo, resumeRun, STARTING_WEIGHTS_HELP, trainRun, type KeepCheckpoints, type RunResult } from '@resnet-ts/trainer/node';
import { createModel, getModelConfig, listModels, modelCardFor, writeModelCard, type ResNetOptions } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { fraction, h5Keys, inputSize, integerAtLeast, positiveInteger } from '../options';
import { printJson, printLine, warnLine } from '../output';
import { exitCodeOf, interruptOnSignals } from './interrupt';
import { ALLOW_OUTSIDE_ROOT_HELP, onErrorOption, rewordUnreadable, warnSkipped } from '../bad-input';
import { addEmaOptions } from './train-ema';
import { addFeatureCacheOptions, featureCacheReport } from './train-feature-cache';
import { RECIPE_HELP, trainRecipe } from './train-recipe';
import { loadPlannedWeights, transferNotices } from './train-weights';
import { checkEngineFlags, ENGINE_CHOICES, EXECUTION_PROVIDERS, resolveEngine, type EngineRequest } from './train-engine';

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

function defaultRunDir(model: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('runs', `${model}-${stamp}`);
}

/** The flags commander parsed: the recipe flags (see train-recipe.ts) and these. */
interface TrainFlags extends Record<string, unknown> {
  config?: string;
  resume?: string;
  json?: boolean;
  printRecipe?: boolean;
  verbose?: boolean;
  epochs?: number;
  workers?: number;
  preciseBn?: number;
  keepCheckpoints?: KeepCheckpoints;
  engine?: EngineRequest['engine'];
  executionProvider?: EngineRequest['executionProvider'];
}

export function registerTrain(program: Command, context: CliContext): void {
  const command = program
    .command('train')
    .description('train a ResNet classifier (no --data: a short run on synthetic shapes) into a run folder with checkpoints and report.html')
    .option('--data <path>', 'image folder (class subfolders, optional train/val), .csv manifest, .h5 file, or "synthetic"')
    .option('--config <file>', 'JSON or YAML recipe file (model/data/training sections, or flag names in camelCase); flags win over it')
    .option('--resume <run>', 'continue the run in this folder from its last checkpoint')
    .addOption(
      new Option('--engine <name>', 'what runs the training steps: auto (default: onnx when onnxruntime-node loads and can train the model, else tfjs with a notice), onnx (onnxruntime-node) or tfjs (the active backend)').choices(
        ENGINE_CHOICES,
      ),
    )
    .addOption(new Option('--execution-provider <name>', 'onnxruntime execution provider of --engine onnx/auto: cpu (default) or cuda (onnxruntime-node\'s CUDA build)').choices(EXECUTION_PROVIDERS))
    .addOption(new Option('--model <name>', 'model variant (default resnet50)').choices(listModels()))
    .addOption(new Option('--input-size <n>', 'input height and width (default 64; 32 for synthetic)').argParser(inputSize))
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
    .option('--weights <source>', `starting weights: ${STARTING_WEIGHTS_HELP}; their model card (or imagenet) decides the normalization`)
    .option('--skip-mismatch', 'leave layers the --weights do not fit (a head for other classes) at their initial weights')
    .option('--freeze-backbone', 'train only the classifier head')
    .option('--unfreeze-from <prefix>', 'train layers from the first one named with this prefix (e.g. conv5_)')
    .addOption(new Option('--unfreeze-epoch <n>', 'epoch (0-based) at which --unfreeze-from applies (> 0 needs --freeze-backbone)').argParser(integerAtLeast(0)))
    .addOption(new Option('--backbone-lr-scale <f>', 'learning rate of the layers before the head, as a fraction of --lr (e.g. 0.1; default 1)').argParser(positiveNumber));
  addEmaOptions(command);
  addFeatureCacheOptions(command);
  command
    .addOption(new Option('--checkpoint-every <steps>', 'also checkpoint every this many steps').argParser(positiveInteger))
    .addOption(
      new Option('--precise-bn <batches>', 'before validating, average BatchNorm statistics over this many training batches; 0: off (default 8)').argParser(
        integerAtLeast(0),
      ),
    )
    .addOption(onErrorOption('leave it out, count them at the end'))
    .option('--allow-outside-root', ALLOW_OUTSIDE_ROOT_HELP)
    .addOption(new Option('--val-fraction <f>', 'validation fraction when the data has no val split (default 0.2)').argParser(fraction))
    .addOption(new Option('--h5-keys <x,y[,classes]>', 'HDF5 datasets of the images, labels and class names (default train_set_x,train_set_y,list_classes)').argParser(h5Keys))
    .addOption(new Option('--synthetic-train <n>', 'synthetic training images (default 768)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-val <n>', 'synthetic validation images (default 96)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-difficulty <level>', 'clutter of the synthetic images (default easy)').choices(SYNTHETIC_DIFFICULTIES))
    .addOption(
      new Option('--keep-checkpoints <which>', 'checkpoints kept once the run completes: all (last, resumable with more --epochs, and best), last, best (weights only) or none (only model/); default all').choices(KEEP_CHECKPOINTS),
    )
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .option('--verbose', 'say more about what was loaded (every skipped layer and why)')
    .option('--print-recipe', 'print the run\'s recipe as JSON (also valid YAML for --config) and exit without training')
    .addHelpText('after', RECIPE_HELP)
    .action(async (flags: TrainFlags, command: Command) => {
      const explicit = Object.fromEntries(
        Object.entries(flags).filter(([key]) => command.getOptionValueSource(key) === 'cli' || command.getOptionValueSource(key) === 'env'),
      ) as TrainFlags;
      checkEngineFlags(explicit);
      if (flags.resume) {
        await resumeCommand(flags.resume, explicit, context);
        return;
      }
      const { config, resume: _r, json: _j, printRecipe, keepCheckpoints, verbose: _v, ...settings } = explicit;
      // The whole run is settled (and every bad value reported, exit 2) before anything is opened.
      const { recipe, out, startingWeights, engine: engineChoice, executionProvider } = await trainRecipe(settings, config);
      checkEngineFlags({ engine: engineChoice, executionProvider });
      if (printRecipe) {
        printLine(serializeRecipe(recipe));
        return;
      }
      const { model: spec, data } = recipe;
      const [height, width] = data.imageSize;
      const backend = await context.backend();
      // Before the run folder: data that cannot train (one class, a file outside the folder) writes nothing.
      const opened = await openDataSource(data, { training: true });
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
        transferNotices(recipe).forEach((line) => warnLine(line));
        const start = startingWeights ? (await loadPlannedWeights(model, startingWeights, flags.verbose === true)).record : undefined;
        // The model card travels with every saved model so `predict`, `export` and the demo know the classes, normalization and origin.
        const extras = {
          classNames: opened.classNames,
          preprocessing: { normalization: data.normalization },
          weights: { source: 'trained' as const, ...(start ? { start } : {}) },
          recipeHash: recipeHash(recipe),
        };
        writeModelCard(model, modelCardFor(spec.name, modelOptions, extras));
        const engine = await resolveEngine({ engine: engineChoice, executionProvider, threads: context.globals().threads, backend: backend.backend }, model, recipe.training.optimizer);
        if (engine.notice) warnLine(engine.notice);
        const log = flags.json ? warnLine : printLine;
        log(
          `training ${spec.name} on ${source} ` +
            `(${opened.train.size} train / ${opened.val.size} val images, ${opened.classNames.length} classes, ` +
            `${height}x${width}) on ${backend.backend}, engine ${engine.name}; run folder ${runDir}`,
        );
        const run = await withInterrupt((signal) =>
          trainRun({
            runDir,
            model,
            train: opened.train,
            val: opened.val,
            ...recipe.training,
            engine: engine.factory,
            recipe: { model: spec, data },
            ...(start ? { startingWeights: start } : {}),
            callbacks: [featureCacheReport(log), progressOf(flags.json === true)],
            signal,
            title: `${spec.name} on ${source}`,
            onNotice: (message) => warnLine(`resnet: ${message}`),
            ...(keepCheckpoints ? { keepCheckpoints } : {}),
          }),
        );
        warnSkipped(opened.skipped().length, 'while training');
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

/** Runs training with SIGINT/SIGTERM saving a checkpoint; reports an interrupted run with 128 + the signal. */
async function withInterrupt(fn: (signal: AbortSignal) => Promise<RunResult>): Promise<RunResult> {
  const interrupt = interruptOnSignals();
  let run: RunResult;
  try {
    run = await fn(interrupt.signal);
  } catch (error) {
    if (error instanceof NonFiniteLossError) throw new CliError(error.message);
    throw rewordUnreadable(error);
  } finally {
    interrupt.release();
  }
  if (run.result.stopReason === 'aborted') {
    warnLine(`resnet: checkpoint saved at step ${run.result.step}; continue with: resnet train --resume ${run.runDir}`);
    throw new CliError(`training interrupted (run folder ${run.runDir})`, exitCodeOf(interrupt.received() ?? 'SIGINT'));
  }
  return run;
}

function report(run: RunResult, json: boolean): void {
  const { result, evaluation } = run;
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
  // The engine too: a run started on one engine resumes on the other.
  const allowed = new Set(['epochs', 'json', 'resume', 'workers', 'preciseBn', 'printRecipe', 'keepCheckpoints', 'verbose', 'engine', 'executionProvider']);
  const ignored = Object.keys(explicit).filter((key) => !allowed.has(key));
  if (ignored.length > 0) {
    throw new UsageError(
      `--resume continues with the run's saved settings; only --epochs, --workers, --precise-bn, --keep-checkpoints, --engine and --execution-provider may change (got --${ignored.join(', --')})`,
    );
  }
  const { recipe } = info;
  if (explicit.printRecipe) {
    printLine(serializeRecipe(recipe));
    return;
  }
  if (!recipe.data) throw new CliError(`${runDir}: run.json has no data source; it was not written by \`resnet train\``);
  const backend = await context.backend();
  const opened = await openDataSource({ ...recipe.data, ...(explicit.workers !== undefined ? { workers: explicit.workers } : {}) }, { training: true });
  try {
    const log = explicit.json ? warnLine : printLine;
    const request = { engine: explicit.engine, executionProvider: explicit.executionProvider, threads: context.globals().threads, backend: backend.backend };
    // The model is loaded from the run folder inside resumeRun: the engine is chosen when it exists.
    const engine: StepEngineFactory = async (options) => {
      const resolved = await resolveEngine(request, options.model, options.optimizer);
      if (resolved.notice) warnLine(resolved.notice);
      log(`resuming ${runDir} (${recipe.model.name}) on ${backend.backend}, engine ${resolved.name}`);
      return resolved.factory(options);
    };
    const run = await withInterrupt((signal) =>
      resumeRun({
        runDir,
        engine,
        train: opened.train,
        val: opened.val,
        ...(explicit.epochs !== undefined ? { epochs: explicit.epochs } : {}),
        ...(explicit.preciseBn !== undefined ? { preciseBnBatches: explicit.preciseBn } : {}),
        callbacks: [featureCacheReport(log), progressOf(explicit.json === true)],
        signal,
        onNotice: (message) => warnLine(`resnet: ${message}`),
        ...(explicit.keepCheckpoints ? { keepCheckpoints: explicit.keepCheckpoints } : {}),
      }),
    );
    warnSkipped(opened.skipped().length, 'while training');
    report(run, explicit.json === true);
    (run as { model?: { dispose(): void } }).model?.dispose();
  } finally {
    await opened.dispose();
  }
}
