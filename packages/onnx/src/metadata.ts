import type { OnnxInputLayout, OnnxModelMetadata } from './options';
import { decodeOnnxMetadataProps } from './proto/onnx-codec';

/** Keys of `metadata_props` this package writes. JSON values are noted. */
export const ONNX_METADATA_KEYS = {
  classNames: 'class_names', // JSON string[]
  inputSize: 'input_size', // JSON [height, width, channels]
  inputLayout: 'input_layout', // 'nhwc' | 'nchw'
  inputName: 'input_name',
  outputName: 'output_name',
  preprocessing: 'preprocessing', // JSON object
  modelName: 'model_name',
  batchNormFolded: 'batch_norm_folded', // 'true' | 'false'
  outputIsProbabilities: 'output_is_probabilities', // 'true' (softmax head) | 'false' (logits and the rest)
} as const;

/** What `readOnnxMetadata` recovers from an exported file. */
export interface OnnxFileMetadata {
  classNames?: string[];
  /** [height, width, channels] of one image. */
  inputSize?: [number, number, number];
  inputLayout: OnnxInputLayout;
  inputName?: string;
  outputName?: string;
  preprocessing?: Record<string, unknown>;
  modelName?: string;
  batchNormFolded?: boolean;
  /** False when the first output is not a softmax (logits): runtimes apply softmax to rank classes. */
  outputIsProbabilities?: boolean;
  /** Every entry of `metadata_props`, as stored. */
  props: Record<string, string>;
}

export interface MetadataFacts {
  inputSize: readonly (number | null)[];
  layout: OnnxInputLayout;
  inputName: string;
  outputName: string;
  foldBatchNorm: boolean;
  outputIsProbabilities: boolean;
}

export function buildMetadataProps(metadata: OnnxModelMetadata | undefined, facts: MetadataFacts): Array<{ key: string; value: string }> {
  const k = ONNX_METADATA_KEYS;
  const props: Record<string, string> = {
    [k.inputSize]: JSON.stringify(facts.inputSize),
    [k.inputLayout]: facts.layout,
    [k.inputName]: facts.inputName,
    [k.outputName]: facts.outputName,
    [k.batchNormFolded]: String(facts.foldBatchNorm),
    [k.outputIsProbabilities]: String(facts.outputIsProbabilities),
  };
  if (metadata?.classNames) props[k.classNames] = JSON.stringify(metadata.classNames);
  if (metadata?.preprocessing) props[k.preprocessing] = JSON.stringify(metadata.preprocessing);
  if (metadata?.modelName) props[k.modelName] = metadata.modelName;
  Object.assign(props, metadata?.extra ?? {});
  return Object.entries(props).map(([key, value]) => ({ key, value }));
}

/** Reads the metadata of an ONNX file without decoding its graph. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxFileMetadata {
  const props = decodeOnnxMetadataProps(bytes);
  const k = ONNX_METADATA_KEYS;
  const json = <T>(key: string): T | undefined => (props[key] !== undefined ? (JSON.parse(props[key]) as T) : undefined);
  return {
    classNames: json<string[]>(k.classNames),
    inputSize: json<[number, number, number]>(k.inputSize),
    inputLayout: props[k.inputLayout] === 'nchw' ? 'nchw' : 'nhwc',
    inputName: props[k.inputName],
    outputName: props[k.outputName],
    preprocessing: json<Record<string, unknown>>(k.preprocessing),
    modelName: props[k.modelName],
    batchNormFolded: flag(props[k.batchNormFolded]),
    outputIsProbabilities: flag(props[k.outputIsProbabilities]),
    props,
  };
}

/** [height, width, channels] of one image, or an error when the file was exported without a fixed input size. */
export function fixedInputSize(metadata: OnnxFileMetadata): [number, number, number] {
  const size = metadata.inputSize;
  if (!size || size.some((d) => typeof d !== 'number')) {
    throw new Error(`ONNX model has no fixed input size in its metadata (input_size = ${JSON.stringify(size)}); export it with a fixed input shape`);
  }
  return size;
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}
