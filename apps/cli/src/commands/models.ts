import type { Command } from 'commander';
import { createModel, getModelConfig, listModels } from '@resnet-ts/zoo';
import type { CliContext } from '../context';
import { CliError } from '../errors';
import { formatCount, formatTable, printJson, printLine } from '../output';

/** One row of `resnet models --json`. */
export interface ModelListing {
  name: string;
  /** Parameters with the default ImageNet head (`classes` = the variant's default). */
  params: number;
  /** Default input shape `[height, width, channels]`. */
  inputSize: readonly [number, number, number];
  /** Default classes of the reference classifier. */
  classes: number;
  /** Blocks in stages conv2..conv5. */
  blocksPerStage: readonly number[];
  /** Pixel normalisation the variant's reference weights expect. */
  preprocessing: string;
}

export function registerModels(program: Command, context: CliContext): void {
  program
    .command('models')
    .description('list the model registry: name, parameters, default input size')
    .argument('[pattern]', "only names matching this '*' wildcard, e.g. '*v2'")
    .option('--json', 'print JSON instead of a table')
    .action(async (pattern: string | undefined, options: { json?: boolean }) => {
      const names = listModels(pattern);
      if (names.length === 0) {
        throw new CliError(`no model matches ${JSON.stringify(pattern)}; available: ${listModels().join(', ')}`);
      }
      // Counting parameters builds each model, which needs a backend to hold its weights.
      await context.weightsBackend();
      const listings = names.map(describeModel);
      if (options.json) {
        printJson(listings);
        return;
      }
      printLine(
        formatTable(
          ['model', 'params', 'input', 'classes', 'blocks', 'preprocessing'],
          listings.map((model) => [
            model.name,
            formatCount(model.params),
            model.inputSize.join('x'),
            String(model.classes),
            model.blocksPerStage.join('-'),
            model.preprocessing,
          ]),
          ['left', 'right', 'right', 'right', 'left', 'left'],
        ),
      );
    });
}

function describeModel(name: string): ModelListing {
  const config = getModelConfig(name);
  return {
    name,
    params: countDefaultParams(name, config.numClasses, config.inputSize[2]),
    inputSize: config.inputSize,
    classes: config.numClasses,
    blocksPerStage: config.blocksPerStage,
    preprocessing: config.preprocessing.mode,
  };
}

/**
 * The parameter count with the default head. It does not depend on the spatial input size (the head
 * pools globally), so the model is built at the smallest size the zoo accepts and freed at once.
 */
function countDefaultParams(name: string, classes: number, channels: number): number {
  const model = createModel(name, { inputShape: [32, 32, channels], classes });
  try {
    return model.countParams();
  } finally {
    model.dispose();
  }
}
