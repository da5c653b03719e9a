import type * as tf from '@tensorflow/tfjs';
import type { OnnxInputLayout } from '@resnet-ts/onnx';
import type { ModelCard } from '@resnet-ts/zoo';
import { exportOnnxFile } from '@resnet-ts/onnx/node';
import { formatCount, printJson, printLine } from '../output';

/** Flags of `resnet export --format onnx`, as commander parses them. */
export interface OnnxExportFlags {
  layout?: OnnxInputLayout;
  foldBn?: boolean;
  /** `--no-verify` sets this to false. */
  verify?: boolean;
  json?: boolean;
}

/** What `resnet export --format onnx --json` prints. */
export interface OnnxExportReport {
  output: { path: string; format: 'onnx'; bytes: number };
  model: string;
  opset: 17;
  layout: OnnxInputLayout;
  foldBatchNorm: boolean;
  verification?: { maxAbsDiff: number; tolerance: number; passed: boolean; batchSize: number };
}

/** What the file's metadata carries: the model card (class names, preprocessing, name), or class names alone. */
export interface OnnxExportContext {
  card?: ModelCard;
  classNames?: readonly string[];
}

/** Writes `model` as ONNX to `output` (verified against tfjs with onnxruntime unless --no-verify). */
export async function exportModelAsOnnx(
  model: tf.LayersModel,
  output: string,
  flags: OnnxExportFlags,
  context: OnnxExportContext = {},
): Promise<OnnxExportReport> {
  const layout = flags.layout ?? 'nhwc';
  const foldBatchNorm = flags.foldBn ?? false;
  const modelName = context.card?.architecture.name ?? model.name;
  const written = await exportOnnxFile(model, output, {
    layout,
    foldBatchNorm,
    verify: flags.verify ?? true,
    metadata: { card: context.card, classNames: context.classNames, modelName },
  });
  const v = written.verification;
  return {
    output: { path: written.path, format: 'onnx', bytes: written.bytes },
    model: modelName,
    opset: 17,
    layout,
    foldBatchNorm,
    ...(v ? { verification: { maxAbsDiff: v.maxAbsDiff, tolerance: v.tolerance, passed: v.passed, batchSize: v.batchSize } } : {}),
  };
}

export function printOnnxExportReport(report: OnnxExportReport, json = false): void {
  if (json) {
    printJson(report);
    return;
  }
  printLine(`${report.model} -> ${report.output.path} (onnx opset ${report.opset}, ${report.layout} input, ${formatCount(report.output.bytes)} bytes${report.foldBatchNorm ? ', batch norm folded' : ''})`);
  if (report.verification) {
    printLine(`verified with onnxruntime: max |tfjs - onnx| = ${report.verification.maxAbsDiff.toExponential(2)} (tolerance ${report.verification.tolerance})`);
  }
}
