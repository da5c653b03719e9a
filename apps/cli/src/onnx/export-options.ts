import { Option, type Command } from 'commander';
import { UsageError } from '../errors';

export const EXPORT_FORMATS = ['tfjs', 'onnx'] as const;

/**
 * Adds the ONNX flags to `resnet export`: `--layout nhwc|nchw`, `--fold-bn`, `--no-verify`.
 * (`--format` itself belongs to the export command; these flags apply with `--format onnx`.)
 */
export function addOnnxExportOptions(command: Command): Command {
  return command
    .addOption(new Option('--layout <layout>', 'ONNX input layout (with --format onnx)').choices(['nhwc', 'nchw']))
    .option('--fold-bn', 'fold BatchNormalization into the preceding convolutions (with --format onnx)')
    .option('--no-verify', 'skip the onnxruntime check against the tfjs model (with --format onnx)');
}

/** Rejects ONNX-only flags used with another format. */
export function checkOnnxFlags(format: string, flags: { layout?: string; foldBn?: boolean; verify?: boolean }): void {
  if (format === 'onnx') return;
  const used = [flags.layout !== undefined && '--layout', flags.foldBn && '--fold-bn', flags.verify === false && '--no-verify'].filter(Boolean);
  if (used.length > 0) throw new UsageError(`${used.join(', ')} apply only with --format onnx`);
}
