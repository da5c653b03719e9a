import type * as tf from '@tensorflow/tfjs';
import type { OnnxInputLayout } from '@resnet-ts/onnx';
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

export interface OnnxExportContext {
  classNames?: readonly string[];
  preprocessing?: Readonly<Record<string, unknown>>;
  modelName?: string;
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
  const written = await exportOnnxFile(model, output, {
    layout,
    foldBatchNorm,
    verify: flags.verify ?? true,
    metadata: { classNames: context.classNames, preprocessing: context.preprocessing, modelName: context.modelName ?? model.name },
  });
  const v = written.verification;
  return {
    output: { path: written.path, format: 'onnx', bytes: written.bytes },
    model: context.modelName ?? model.name,
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
