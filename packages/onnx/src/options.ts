import type { ModelCard } from '@resnet-ts/zoo';
import { version } from '../package.json';

/** Tensor layout of the exported model's image input (and of any rank-4 output). */
export type OnnxInputLayout = 'nhwc' | 'nchw';

/** What travels with the model in `metadata_props`, so a runtime cannot mismatch it. */
export interface OnnxModelMetadata {
  /**
   * The model card (`@resnet-ts/zoo`), written as JSON under `model_card`. It also fills in
   * `class_names`, `preprocessing` and `model_name` where the fields below are not given.
   */
  card?: ModelCard;
  /** Label of each output index; written as a JSON array under `class_names`. */
  classNames?: readonly string[];
  /** How to turn an image into the input tensor (mean, std, scale, interpolation...), as JSON. */
  preprocessing?: Readonly<Record<string, unknown>>;
  /** Registry name of the architecture, e.g. `resnet50`. */
  modelName?: string;
  /** Any other string entries, written as given. */
  extra?: Readonly<Record<string, string>>;
}

export interface OnnxExportOptions {
  /** Layout of the image input: `nhwc` (as tfjs, the default) adds a leading Transpose. */
  layout?: OnnxInputLayout;
  /** Fold each BatchNormalization that directly follows a Conv2D/Dense into its weights. */
  foldBatchNorm?: boolean;
  /** Symbolic name of the batch dimension (dynamic batch); a number fixes the batch size. */
  batchDimension?: string | number;
  /** Name of the ONNX graph; defaults to the model's name. */
  graphName?: string;
  /** Model metadata written to `metadata_props`. */
  metadata?: OnnxModelMetadata;
  /** ONNX `producer_version`; defaults to this package's version. */
  producerVersion?: string;
}

export type ResolvedOnnxExportOptions = Required<Omit<OnnxExportOptions, 'graphName' | 'metadata'>> &
  Pick<OnnxExportOptions, 'graphName' | 'metadata'>;

/** Written as the file's producer_version; bundled from package.json at build time so it never drifts. */
export const ONNX_PACKAGE_VERSION: string = version;

export const defaultOnnxExportOptions = {
  layout: 'nhwc',
  foldBatchNorm: false,
  batchDimension: 'batch',
  producerVersion: ONNX_PACKAGE_VERSION,
} as const satisfies OnnxExportOptions;

export function resolveOnnxExportOptions(options: OnnxExportOptions = {}): ResolvedOnnxExportOptions {
  const resolved = { ...defaultOnnxExportOptions, ...options };
  if (resolved.layout !== 'nhwc' && resolved.layout !== 'nchw') {
    throw new OnnxOptionError(`layout: expected 'nhwc' or 'nchw', got '${String(resolved.layout)}'`);
  }
  return resolved;
}

class OnnxOptionError extends Error {
  override readonly name = 'OnnxOptionError';
}
