import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '../export-onnx';
import type { OnnxExportOptions } from '../options';
import { verifyOnnx, type OnnxVerification, type OnnxVerifyOptions } from './verify';

export interface OnnxFileExportOptions extends OnnxExportOptions {
  /** Check the file with onnxruntime against the tfjs model before writing it (default true). */
  verify?: boolean | OnnxVerifyOptions;
}

export interface OnnxFileExport {
  path: string;
  bytes: number;
  /** Present when verification ran. */
  verification?: OnnxVerification;
}

/** Raised when the exported file disagrees with the tfjs model beyond the tolerance. */
export class OnnxVerificationError extends Error {
  override readonly name = 'OnnxVerificationError';
  constructor(
    message: string,
    readonly verification: OnnxVerification,
  ) {
    super(message);
  }
}

/**
 * Exports `model` to `filePath` (atomically: temp file + rename), by default verifying it with
 * onnxruntime first; a failed check throws OnnxVerificationError and writes nothing.
 */
export async function exportOnnxFile(model: tf.LayersModel, filePath: string, options: OnnxFileExportOptions = {}): Promise<OnnxFileExport> {
  const { verify = true, ...exportOptions } = options;
  const bytes = exportOnnx(model, exportOptions);
  let verification: OnnxVerification | undefined;
  if (verify) {
    verification = await verifyOnnx(model, bytes, verify === true ? {} : verify);
    if (!verification.passed) {
      throw new OnnxVerificationError(
        `${filePath}: onnxruntime and tfjs outputs differ by ${verification.maxAbsDiff.toExponential(2)} (tolerance ${verification.tolerance}); nothing written`,
        verification,
      );
    }
  }
  await mkdir(path.dirname(filePath), { recursive: true });
  const temp = `${filePath}.${process.pid}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, filePath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { path: filePath, bytes: bytes.length, verification };
}
