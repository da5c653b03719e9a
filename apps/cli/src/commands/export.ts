import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { modelToArtifacts } from '@resnet-ts/trainer';
import { fileIO } from '@resnet-ts/zoo/node';
import { loadRunModel, writeFileAtomic } from '@resnet-ts/trainer/node';
import type { CliContext } from '../context';
import { CliError, UsageError } from '../errors';
import { printJson, printLine } from '../output';

interface ExportFlags {
  out?: string;
  json?: boolean;
}

export function registerExport(program: Command, context: CliContext): void {
  program
    .command('export')
    .description('write a run\'s model as a tfjs model folder (model.json + shards + classes.json) that the demo and tf.loadLayersModel read')
    .argument('<run>', 'run folder from `resnet train` (or a tfjs model folder)')
    .option('--out <dir>', 'output folder (created; an existing model folder is replaced atomically)')
    .option('--json', 'print what was written as JSON')
    .action(async (runPath: string, flags: ExportFlags) => {
      if (!flags.out) throw new UsageError("required option '--out <dir>' not specified");
      await context.backend();
      const loaded = await loadRunModel(runPath).catch((error: Error) => {
        throw new CliError(error.message);
      });
      const { model } = loaded;
      try {
        const [, height, width, channels] = model.inputs[0].shape as number[];
        const metadata = {
          ...(model.getUserDefinedMetadata() ?? {}),
          ...(loaded.classNames ? { classNames: loaded.classNames } : {}),
          ...(loaded.normalization ? { normalization: loaded.normalization } : {}),
          inputShape: [height, width, channels],
        };
        model.setUserDefinedMetadata(metadata);
        const out = resolve(flags.out);
        await fileIO(out).save!(await modelToArtifacts(model));
        if (loaded.classNames) await writeFileAtomic(join(out, 'classes.json'), JSON.stringify(loaded.classNames, null, 2));
        const summary = { from: loaded.source, out, files: ['model.json', ...(loaded.classNames ? ['classes.json'] : [])], metadata };
        if (flags.json) printJson(summary);
        else printLine(`exported ${loaded.source} to ${out} (model.json + weight shards${loaded.classNames ? ' + classes.json' : ''})`);
      } finally {
        model.dispose();
      }
    });
}

