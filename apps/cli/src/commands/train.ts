import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { NORMALIZATION_PRESETS, SYNTHETIC_DIFFICULTIES, type NormalizationPreset, type SyntheticDifficulty } from '@resnet-ts/data';
import {
  listOptimizers,
  listSchedules,
  NonFiniteLossError,
  progressCallback,
  type OptimizerSpec,
  type ScheduleSpec,
  type TrainConfig,
} from '@resnet-ts/trainer';
import {
  detectDataSource,
  openDataSource,
  readRunInfo,
  resumeRun,
  trainRun,
  type DataSourceSpec,
  type RunResult,
} from '@resnet-ts/trainer/node';
import { createModel, getModelConfig, listModels, modelCardFor, writeModelCard, type ResNetOptions } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { integerAtLeast, positiveInteger } from '../options';
import { printJson, printLine, warnLine } from '../output';

/** Exit code after Ctrl-C: the checkpoint was saved; `--resume` continues (128 + SIGINT, as shells do). */
export const EXIT_INTERRUPTED = 130;

/** Every setting of `resnet train`: the flags, and the keys of a `--config` JSON/YAML file. */
export interface TrainSettings {
  data?: string;
  model: string;
  inputSize: number;
  batchSize: number;
  epochs: number;
  lr: number;
  optimizer: OptimizerSpec['type'];
  momentum?: number;
  nesterov?: boolean;
  schedule: ScheduleSpec['type'];
  warmupEpochs?: number;
  stepEvery?: number;
  weightDecay?: number;
  labelSmoothing?: number;
  clipNorm?: number;
  augment: boolean;
  zeroInitResidual: boolean;
  normalization: NormalizationPreset;
  workers?: number;
  seed: number;
  out?: string;
  stepsPerEpoch?: number;
  earlyStopping?: number;
  ema?: number;
  freezeBackbone?: boolean;
  unfreezeFrom?: string;
  unfreezeEpoch?: number;
  checkpointEvery?: number;
  preciseBn: number;
  valFraction?: number;
  syntheticTrain?: number;
  syntheticVal?: number;
  syntheticDifficulty?: SyntheticDifficulty;
}

/** The notebook's defaults: ResNet50, 64x64x3, Adam, categorical cross-entropy, batch 32, 20 epochs. */
export const TRAIN_DEFAULTS: TrainSettings = {
  model: 'resnet50',
  inputSize: 64,
  batchSize: 32,
  epochs: 20,
  lr: 1e-3,
  optimizer: 'adam',
  schedule: 'constant',
  augment: false,
  zeroInitResidual: true,
  normalization: 'unit',
  seed: 0,
  preciseBn: 8,
};

/**
 * Without --data: ResNet50 on `easy` synthetic shapes at 32x32, the notebook's Adam and batch 32,
 * 4 epochs of 24 steps (about two minutes on 2 wasm threads). Two habits make a from-scratch
 * ResNet50 learn in so few steps: residual branches start at zero (`zeroInitResidual`, on for
 * every run) and gradients are clipped to norm 1 (Adam's first steps otherwise swing the
 * 2048-input classifier far past the optimum). Precise BN (the default 8 batches) stands in for
 * BatchNorm moving averages, which lag far behind in a run this short.
 */
export const SYNTHETIC_DEFAULTS: Partial<TrainSettings> = {
  inputSize: 32,
  batchSize: 32,
  epochs: 4,
  clipNorm: 1,
  syntheticTrain: 768,
  syntheticVal: 96,
  syntheticDifficulty: 'easy',
};

const SETTING_KEYS = new Set<string>([...Object.keys(TRAIN_DEFAULTS), 'data', 'momentum', 'nesterov', 'warmupEpochs', 'stepEvery',
  'weightDecay', 'labelSmoothing', 'clipNorm', 'workers', 'out', 'stepsPerEpoch', 'earlyStopping', 'ema', 'freezeBackbone',
  'unfreezeFrom', 'unfreezeEpoch', 'checkpointEvery', 'valFraction', 'syntheticTrain', 'syntheticVal', 'syntheticDifficulty']);

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

/** Reads a JSON or YAML config file; unknown keys are errors naming the key and the file. */
export async function readConfigFile(path: string): Promise<Partial<TrainSettings>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${path}: cannot read it (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`--config ${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'} (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--config ${path}: expected a mapping of settings (e.g. "epochs: 5")`);
  }
  for (const key of Object.keys(parsed)) {
    if (!SETTING_KEYS.has(key)) throw new UsageError(`--config ${path}: unknown setting "${key}" (settings are the flag names in camelCase, e.g. batchSize)`);
  }
  return parsed as Partial<TrainSettings>;
}

function trainConfigOf(s: TrainSettings, data: DataSourceSpec): TrainConfig {
  const optimizer: OptimizerSpec =
    s.optimizer === 'sgd'
      ? { type: 'sgd', momentum: s.momentum ?? 0.9, nesterov: s.nesterov ?? false }
      : s.optimizer === 'rmsprop'
        ? { type: 'rmsprop', ...(s.momentum !== undefined ? { momentum: s.momentum } : {}) }
        : { type: s.optimizer }; // adam, lamb, lion: their own defaults
  const schedule: ScheduleSpec =
    s.schedule === 'cosine'
      ? { type: 'cosine', warmupEpochs: s.warmupEpochs ?? 0 }
      : s.schedule === 'step'
        ? { type: 'step', everyEpochs: s.stepEvery ?? Math.max(1, Math.floor(s.epochs / 3)) }
        : { type: s.schedule } as ScheduleSpec;
  return {
    epochs: s.epochs,
    batchSize: s.batchSize,
    lr: s.lr,
    optimizer,
    schedule,
    weightDecay: s.weightDecay ?? 0,
    labelSmoothing: s.labelSmoothing ?? 0,
    clipNorm: s.clipNorm ?? 0,
    seed: s.seed,
    augment: s.augment,
    monitor: 'val_loss',
    ...(s.stepsPerEpoch !== undefined ? { maxStepsPerEpoch: s.stepsPerEpoch } : {}),
    ...(s.earlyStopping !== undefined ? { earlyStopping: { patience: s.earlyStopping, restoreBest: true } } : {}),
    ...(s.ema !== undefined ? { ema: { decay: s.ema } } : {}),
    ...(s.checkpointEvery !== undefined ? { checkpointEverySteps: s.checkpointEvery } : {}),
    preciseBnBatches: s.preciseBn,
    ...(s.freezeBackbone || s.unfreezeFrom
      ? {
          transfer: {
            freezeBackbone: s.freezeBackbone ?? false,
            ...(s.unfreezeFrom ? { unfreezeFrom: s.unfreezeFrom } : {}),
            ...(s.unfreezeEpoch !== undefined ? { unfreezeEpoch: s.unfreezeEpoch } : {}),
          },
        }
      : {}),
    metadata: { model: s.model, inputSize: s.inputSize, zeroInitResidual: s.zeroInitResidual, data },
  };
}

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

interface TrainFlags extends Partial<TrainSettings> {
  config?: string;
  resume?: string;
  json?: boolean;
}

export function registerTrain(program: Command, context: CliContext): void {
  program
    .command('train')
    .description('train a ResNet classifier (no --data: a short run on synthetic shapes) into a run folder with checkpoints and report.html')
    .option('--data <path>', 'image folder (class subfolders, optional train/val), .csv manifest, .h5 file, or "synthetic"')
    .option('--config <file>', 'JSON or YAML file of settings (flag names in camelCase); flags win over it')
    .option('--resume <run>', 'continue the run in this folder from its last checkpoint')
    .addOption(new Option('--model <name>', 'model variant (default resnet50)').choices(listModels()))
    .addOption(new Option('--input-size <n>', 'input height and width (default 64; 32 for synthetic)').argParser(integerAtLeast(32)))
    .addOption(new Option('--batch-size <n>', 'batch size (default 32)').argParser(positiveInteger))
    .addOption(new Option('--epochs <n>', 'epochs (default 20)').argParser(positiveInteger))
    .addOption(new Option('--lr <rate>', 'base / peak learning rate (default 0.001)').argParser(positiveNumber))
    .addOption(new Option('--optimizer <name>', 'optimizer (default adam)').choices(listOptimizers()))
    .addOption(new Option('--momentum <m>', 'momentum for sgd (default 0.9) and rmsprop (default 0)').argParser(nonNegativeNumber))
    .option('--nesterov', 'Nesterov momentum (sgd)')
    .addOption(new Option('--schedule <name>', 'learning-rate schedule (default constant)').choices(listSchedules()))
    .addOption(new Option('--warmup-epochs <n>', 'linear warmup for --schedule cosine').argParser(nonNegativeNumber))
    .addOption(new Option('--step-every <epochs>', 'decay interval for --schedule step').argParser(positiveNumber))
    .addOption(new Option('--weight-decay <wd>', 'decoupled weight decay (AdamW/SGDW), not on biases and BatchNorm').argParser(nonNegativeNumber))
    .addOption(new Option('--label-smoothing <s>', 'label smoothing').argParser(nonNegativeNumber))
    .addOption(new Option('--clip-norm <n>', 'clip gradients to this global norm (default: off; 1 on synthetic data)').argParser(nonNegativeNumber))
    .option('--augment', 'training augmentation (flips, crops, rotation, colour jitter)')
    .option('--no-augment', 'no training augmentation (default)')
    .option('--zero-init-residual', 'start each residual branch at zero, as timm does (default)')
    .option('--no-zero-init-residual', "Keras's initialisation of every layer")
    .addOption(new Option('--normalization <preset>', 'pixel normalization (default unit: /255, as the notebook)').choices(NORMALIZATION_PRESETS))
    .addOption(new Option('--workers <n>', 'image decode worker threads').argParser(positiveInteger))
    .addOption(new Option('--seed <n>', 'seed of weights, split, shuffling and augmentation (default 0)').argParser(integerAtLeast(0)))
    .option('--out <dir>', 'run folder (default runs/<model>-<time>)')
    .addOption(new Option('--steps-per-epoch <n>', 'train at most this many batches per epoch').argParser(positiveInteger))
    .addOption(new Option('--early-stopping <patience>', 'stop when val_loss has not improved for this many epochs').argParser(positiveInteger))
    .addOption(new Option('--ema <decay>', 'keep an exponential moving average of the weights').argParser(fraction))
    .option('--freeze-backbone', 'train only the classifier head')
    .option('--unfreeze-from <prefix>', 'train layers from the first one named with this prefix (e.g. conv5_)')
    .addOption(new Option('--unfreeze-epoch <n>', 'epoch (0-based) at which --unfreeze-from applies').argParser(integerAtLeast(0)))
    .addOption(new Option('--checkpoint-every <steps>', 'also checkpoint every this many steps').argParser(positiveInteger))
    .addOption(
      new Option('--precise-bn <batches>', 'before validating, average BatchNorm statistics over this many training batches; 0: off (default 8)').argParser(
        integerAtLeast(0),
      ),
    )
    .addOption(new Option('--val-fraction <f>', 'validation fraction when the data has no val split (default 0.2)').argParser(fraction))
    .addOption(new Option('--synthetic-train <n>', 'synthetic training images (default 768)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-val <n>', 'synthetic validation images (default 96)').argParser(positiveInteger))
    .addOption(new Option('--synthetic-difficulty <level>', 'clutter of the synthetic images (default easy)').choices(SYNTHETIC_DIFFICULTIES))
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .action(async (flags: TrainFlags, command: Command) => {
      const explicit = Object.fromEntries(
        Object.entries(flags).filter(([key]) => command.getOptionValueSource(key) === 'cli' || command.getOptionValueSource(key) === 'env'),
      ) as TrainFlags;
      if (flags.resume) {
        await resumeCommand(flags.resume, explicit, context);
        return;
      }
      const fromFile = flags.config ? await readConfigFile(flags.config) : {};
      const dataPath = explicit.data ?? fromFile.data;
      const kind = await detectDataSource(dataPath).catch((error: Error) => {
        throw new UsageError(`--data ${dataPath}: ${error.message}`);
      });
      const { config: _c, resume: _r, json: _j, ...explicitSettings } = explicit;
      const settings: TrainSettings = {
        ...TRAIN_DEFAULTS,
        ...(kind === 'synthetic' ? SYNTHETIC_DEFAULTS : {}),
        ...fromFile,
        ...explicitSettings,
      };
      if (!listModels().includes(settings.model)) {
        throw new UsageError(`model "${settings.model}" is not in the registry (see \`resnet models\`)`);
      }
      const data: DataSourceSpec = {
        kind,
        ...(kind !== 'synthetic' ? { path: resolve(dataPath!) } : {}),
        imageSize: [settings.inputSize, settings.inputSize],
        normalization: settings.normalization,
        augmentation: settings.augment,
        seed: settings.seed,
        ...(settings.workers !== undefined ? { workers: settings.workers } : {}),
        ...(settings.valFraction !== undefined ? { valFraction: settings.valFraction } : {}),
        ...(kind === 'synthetic'
          ? {
              synthetic: {
                trainCount: settings.syntheticTrain ?? SYNTHETIC_DEFAULTS.syntheticTrain!,
                valCount: settings.syntheticVal ?? SYNTHETIC_DEFAULTS.syntheticVal!,
                difficulty: settings.syntheticDifficulty ?? SYNTHETIC_DEFAULTS.syntheticDifficulty!,
              },
            }
          : {}),
      };
      const backend = await context.backend();
      const opened = await openDataSource(data);
      const runDir = settings.out ?? defaultRunDir(settings.model);
      try {
        getModelConfig(settings.model);
        const modelOptions: ResNetOptions = {
          inputShape: [settings.inputSize, settings.inputSize, 3],
          classes: opened.classNames.length,
          zeroInitResidual: settings.zeroInitResidual,
          seed: settings.seed,
        };
        const model = createModel(settings.model, modelOptions);
        // The model card travels with every saved model so `predict`, `export` and the demo know the classes and normalization.
        const extras = { classNames: opened.classNames, preprocessing: { normalization: settings.normalization }, weights: { source: 'trained' as const } };
        writeModelCard(model, modelCardFor(settings.model, modelOptions, extras));
        const log = flags.json ? warnLine : printLine;
        log(
          `training ${settings.model} on ${kind === 'synthetic' ? 'synthetic shapes' : data.path} ` +
            `(${opened.train.size} train / ${opened.val.size} val images, ${opened.classNames.length} classes, ` +
            `${settings.inputSize}x${settings.inputSize}) on ${backend.backend}; run folder ${runDir}`,
        );
        const run = await withInterrupt((signal) =>
          trainRun({
            runDir,
            model,
            train: opened.train,
            val: opened.val,
            ...trainConfigOf(settings, data),
            callbacks: [progressOf(flags.json === true)],
            signal,
            title: `${settings.model} on ${kind === 'synthetic' ? 'synthetic shapes' : data.path}`,
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
  const allowed = new Set(['epochs', 'json', 'resume', 'workers', 'preciseBn']);
  const ignored = Object.keys(explicit).filter((key) => !allowed.has(key));
  if (ignored.length > 0) {
    throw new UsageError(`--resume continues with the run's saved settings; only --epochs, --workers and --precise-bn may change (got --${ignored.join(', --')})`);
  }
  const meta = info.config.metadata as { data?: DataSourceSpec; model?: string } | undefined;
  if (!meta?.data) throw new CliError(`${runDir}: run.json has no data source; it was not written by \`resnet train\``);
  await context.backend();
  const opened = await openDataSource({ ...meta.data, ...(explicit.workers !== undefined ? { workers: explicit.workers } : {}) });
  try {
    const log = explicit.json ? warnLine : printLine;
    log(`resuming ${runDir} (${meta.model ?? 'model'})`);
    const run = await withInterrupt((signal) =>
      resumeRun({
        runDir,
        train: opened.train,
        val: opened.val,
        ...(explicit.epochs !== undefined ? { epochs: explicit.epochs } : {}),
        ...(explicit.preciseBn !== undefined ? { preciseBnBatches: explicit.preciseBn } : {}),
        callbacks: [progressOf(explicit.json === true)],
        signal,
      }),
    );
    report(run, explicit.json === true);
    (run as { model?: { dispose(): void } }).model?.dispose();
  } finally {
    await opened.dispose();
  }
}
