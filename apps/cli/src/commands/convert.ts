import type { Command } from 'commander';
import { Option } from 'commander';
import { statSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  applyKerasWeights,
  createModel,
  getModelConfig,
  listModels,
  loadModelWeights,
  modelCardFor,
  modelFromKerasJson,
  readKerasWeights,
  saveKerasWeights,
  writeModelCard,
  type LoadKerasWeightsResult,
  type ModelCard,
  type ResNetOptions,
} from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { inputSize, positiveInteger } from '../options';
import { formatCount, printJson, printLine } from '../output';

interface ConvertOptions {
  model?: string;
  inputSize?: number;
  classes?: number;
  skipMismatch?: boolean;
  quantize?: 'float16' | 'uint8';
  json?: boolean;
}

/** What `resnet convert --json` prints. */
export interface ConvertReport {
  input: { path: string; format: 'keras-h5' | 'safetensors' | 'tfjs' };
  output: { path: string; format: 'keras-h5' | 'tfjs'; bytes: number; files: number };
  model: string;
  layersWithWeights: number;
  parameters: number;
  skipped: string[];
  /** The model card written with a tfjs output (an .h5 or .safetensors input converted with --model). */
  modelCard?: ModelCard;
}

const isKerasFile = (path: string) => /\.(h5|hdf5)$/i.test(path);
const isSafetensorsFile = (path: string) => /\.safetensors$/i.test(path);

export function registerConvert(program: Command, context: CliContext): void {
  program
    .command('convert')
    .description('convert weights between Keras .h5 (save_weights layout) and tfjs model folders (model.json + shards)')
    .argument('<in>', 'a Keras .h5 file, a torchvision/timm .safetensors file (with --model), or a tfjs model folder / model.json')
    .argument('<out>', 'an .h5 path (Keras save_weights layout) or a folder for model.json + 4 MiB shards')
    .addOption(new Option('--model <name>', 'build this registry model and load <in> into it (needed for weights-only .h5)').choices(listModels()))
    .addOption(new Option('--input-size <n>', 'input height and width with --model (default: the model default)').argParser(inputSize))
    .addOption(new Option('--classes <n>', 'classes of the classifier head with --model (default: 1000)').argParser(positiveInteger))
    .option('--skip-mismatch', 'leave layers whose shapes differ (e.g. another head) at their initial values')
    .addOption(new Option('--quantize <dtype>', 'quantise float32 weights of a tfjs output').choices(['float16', 'uint8']))
    .option('--json', 'print a JSON report')
    .action(async (input: string, output: string, options: ConvertOptions) => {
      if (options.model === undefined && (options.inputSize !== undefined || options.classes !== undefined)) {
        throw new UsageError('--input-size and --classes apply only with --model');
      }
      if (options.quantize && isKerasFile(output)) throw new UsageError('--quantize applies only to a tfjs folder output; .h5 files keep float32');
      await context.weightsBackend();
      const { model, loaded, inputFormat } = await loadModel(input, options);
      try {
        const modelCard = cardOf(input, output, options, loaded);
        if (modelCard) writeModelCard(model, modelCard);
        const written = await writeModel(model, output, options);
        const report: ConvertReport = {
          input: { path: input, format: inputFormat },
          output: { path: output, format: isKerasFile(output) ? 'keras-h5' : 'tfjs', ...written },
          model: model.name,
          layersWithWeights: model.layers.filter((l) => l.weights.length > 0).length,
          parameters: model.countParams(),
          skipped: loaded?.skipped.map((s) => `${s.layer}: ${s.reason}`) ?? [],
          ...(modelCard ? { modelCard } : {}),
        };
        if (options.json) printJson(report);
        else printReport(report);
      } finally {
        model.dispose();
      }
    });
}

function modelOptions(name: string, options: ConvertOptions): ResNetOptions {
  const [height, width, channels] = getModelConfig(name).inputSize;
  const size = options.inputSize;
  return { inputShape: [size ?? height, size ?? width, channels], ...(options.classes !== undefined ? { classes: options.classes } : {}) };
}

/**
 * The card of a Keras .h5 or torchvision/timm .safetensors converted into a registry model
 * (`--model`) for a tfjs folder: where the weights came from and the variant's preprocessing (caffe
 * for Keras resnet50, torch mean/std for `*.tv_in1k`). A full Keras model file without --model, or
 * a tfjs input, gets none: nothing says how its inputs were normalized.
 */
function cardOf(input: string, output: string, options: ConvertOptions, loaded: LoadKerasWeightsResult | undefined): ModelCard | undefined {
  const source = isKerasFile(input) ? 'keras-h5' : isSafetensorsFile(input) ? 'safetensors' : undefined;
  if (!options.model || !source || isKerasFile(output)) return undefined;
  const skipped = loaded?.skipped.map((s) => s.layer) ?? [];
  const note = skipped.length > 0 ? `left at their initial values (--skip-mismatch): ${skipped.join(', ')}` : undefined;
  return modelCardFor(options.model, modelOptions(options.model, options), { weights: { source, path: basename(input), ...(note ? { note } : {}) } });
}

async function loadModel(input: string, options: ConvertOptions) {
  const loadOptions = { skipMismatch: options.skipMismatch ?? false };
  if (isKerasFile(input)) {
    const file = await readKerasWeights(input);
    if (!options.model && !file.modelConfig) {
      throw new UsageError(`${input} holds weights only (Keras save_weights); name the architecture with --model <name>`);
    }
    const model = options.model ? createModel(options.model, modelOptions(options.model, options)) : await modelFromKerasJson(file.modelConfig!);
    try {
      return { model, loaded: applyKerasWeights(model, file, input, loadOptions), inputFormat: 'keras-h5' as const };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  if (!options.model) {
    return { model: await tf.loadLayersModel(fileIO(input)), loaded: undefined as LoadKerasWeightsResult | undefined, inputFormat: 'tfjs' as const };
  }
  const model = createModel(options.model, modelOptions(options.model, options));
  try {
    return { model, loaded: await loadModelWeights(model, input, loadOptions), inputFormat: isSafetensorsFile(input) ? ('safetensors' as const) : ('tfjs' as const) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function writeModel(model: tf.LayersModel, output: string, options: ConvertOptions): Promise<{ bytes: number; files: number }> {
  if (isKerasFile(output)) {
    const result = await saveKerasWeights(model, output);
    return { bytes: result.bytes, files: 1 };
  }
  await model.save(fileIO(output, { quantize: options.quantize ?? null }));
  const files = readdirSync(output);
  return { bytes: files.reduce((sum, name) => sum + statSync(join(output, name)).size, 0), files: files.length };
}

function printReport(report: ConvertReport): void {
  printLine(
    `${report.input.path} (${report.input.format}) -> ${report.output.path} (${report.output.format}, ` +
      `${report.output.files} file${report.output.files === 1 ? '' : 's'}, ${formatCount(report.output.bytes)} bytes)`,
  );
  printLine(`model ${report.model}: ${report.layersWithWeights} layers with weights, ${formatCount(report.parameters)} parameters`);
  for (const skipped of report.skipped) printLine(`skipped ${skipped}`);
}
