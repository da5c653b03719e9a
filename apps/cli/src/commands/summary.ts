import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { createModel, formatSummary, getModelConfig, listModels, summarizeModel, type ResNetOptions } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { inputChannels, inputSize, positiveInteger } from '../options';
import { printJson, printLine } from '../output';

interface SummaryOptions {
  inputSize?: number;
  channels?: number;
  classes?: number;
  /** False with `--no-top`. */
  top: boolean;
  pooling?: 'avg' | 'max' | 'none';
  classifierActivation?: 'softmax' | 'sigmoid' | 'none';
  json?: boolean;
}

export function registerSummary(program: Command, context: CliContext): void {
  program
    .command('summary')
    .description("print a model's layer table and parameter counts, like Keras's model.summary()")
    .addArgument(new Argument('<model>', 'registry name (see `resnet models`)').choices(listModels()))
    .addOption(new Option('--input-size <n>', 'input height and width (default: the model default, 224)').argParser(inputSize))
    .addOption(new Option('--channels <n>', 'input channels (default: 3)').argParser(inputChannels))
    .addOption(new Option('--classes <n>', 'classes of the classifier head (default: 1000)').argParser(positiveInteger))
    .option('--no-top', 'leave out the classifier head (Keras include_top=False)')
    .addOption(new Option('--pooling <mode>', 'global pooling of the features, with --no-top').choices(['avg', 'max', 'none']))
    .addOption(
      new Option('--classifier-activation <fn>', 'activation of the predictions layer (none: logits)').choices([
        'softmax',
        'sigmoid',
        'none',
      ]),
    )
    .option('--json', 'print JSON (layer rows and totals) instead of the table')
    .action(async (modelName: string, options: SummaryOptions) => {
      const modelOptions = toModelOptions(modelName, options);
      await context.weightsBackend();
      const model = createModel(modelName, modelOptions);
      try {
        const summary = summarizeModel(model);
        if (options.json) printJson(summary);
        else printLine(formatSummary(summary));
      } finally {
        model.dispose();
      }
    });
}

function toModelOptions(modelName: string, options: SummaryOptions): ResNetOptions {
  if (options.top && options.pooling !== undefined) {
    throw new UsageError('--pooling applies only with --no-top (the classifier head always average-pools)');
  }
  if (!options.top && options.classifierActivation !== undefined) {
    throw new UsageError('--classifier-activation applies only to the classifier head; drop it or --no-top');
  }
  const [height, width, channels] = getModelConfig(modelName).inputSize;
  const modelOptions: ResNetOptions = {
    includeTop: options.top,
    inputShape: [options.inputSize ?? height, options.inputSize ?? width, options.channels ?? channels],
  };
  if (options.classes !== undefined) modelOptions.classes = options.classes;
  if (options.pooling !== undefined && options.pooling !== 'none') modelOptions.pooling = options.pooling;
  if (options.classifierActivation !== undefined) {
    modelOptions.classifierActivation = options.classifierActivation === 'none' ? null : options.classifierActivation;
  }
  return modelOptions;
}
