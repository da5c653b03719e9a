import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { writeModelCard } from '@resnet-ts/zoo';
import { fileIO } from '@resnet-ts/zoo/node';
import { loadRunModel, writeFileAtomic } from '@resnet-ts/trainer/node';
import type { CliContext } from '../context';
import { addOnnxExportOptions, checkOnnxFlags, EXPORT_FORMATS, exportModelAsOnnx, printOnnxExportReport, type OnnxExportFlags } from '../onnx';
import { CliError, UsageError } from '../errors';
import { printJson, printLine, warnLine } from '../output';

interface ExportFlags extends OnnxExportFlags {
  format: (typeof EXPORT_FORMATS)[number];
  out?: string;
  json?: boolean;
}

export function registerExport(program: Command, context: CliContext): void {
  const command = program
    .command('export')
    .description('write a run\'s model as a tfjs model folder (model.json + shards + classes.json) that the demo and tf.loadLayersModel read')
    .argument('<run>', 'run folder from `resnet train` (or a tfjs model folder)')
    .option('--out <dir>', 'output folder (created; an existing model folder is replaced atomically), or the .onnx file with --format onnx')
    .addOption(new Option('--format <format>', 'tfjs model folder, or one ONNX file (opset 17, checked with onnxruntime)').choices(EXPORT_FORMATS).default('tfjs'))
    .option('--json', 'print what was written as JSON');
  addOnnxExportOptions(command)
    .action(async (runPath: string, flags: ExportFlags) => {
      if (!flags.out) throw new UsageError("required option '--out <dir>' not specified");
      checkOnnxFlags(flags.format, flags);
      // The ONNX export checks the file against tfjs outputs: that computes; a tfjs folder does not.
      await (flags.format === 'onnx' ? context.backend() : context.weightsBackend());
      const loaded = await loadRunModel(runPath).catch((error: Error) => {
        throw new CliError(error.message);
      });
      const { model, card } = loaded;
      const { classNames } = card;
      try {
        // A card that was assumed would turn a guess into a record: such a model goes out without one.
        if (loaded.cardNotice) warnLine(`${loaded.source}: ${loaded.cardNotice}; exported without a model card`);
        else writeModelCard(model, card);
        if (flags.format === 'onnx') {
          const report = await exportModelAsOnnx(model, resolve(flags.out), flags, loaded.cardNotice ? { classNames } : { card });
          printOnnxExportReport(report, flags.json);
          return;
        }
        const out = resolve(flags.out);
        await model.save(fileIO(out));
        if (classNames) await writeFileAtomic(join(out, 'classes.json'), JSON.stringify(classNames, null, 2));
        const summary = { from: loaded.source, out, files: ['model.json', ...(classNames ? ['classes.json'] : [])], metadata: model.getUserDefinedMetadata() ?? {} };
        if (flags.json) printJson(summary);
        else printLine(`exported ${loaded.source} to ${out} (model.json + weight shards${classNames ? ' + classes.json' : ''})`);
      } finally {
        model.dispose();
      }
    });
}

