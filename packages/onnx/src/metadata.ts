import type { ReadModelCardResult } from '@resnet-ts/zoo';
import { readCardProps, withCardDefaults } from './model-card-props';
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
  modelCard: 'model_card', // JSON model card of @resnet-ts/zoo
} as const;

/** What `readOnnxMetadata` recovers from an exported file. */
export interface OnnxFileMetadata {
  /**
   * The model card: the file's `model_card`, else read from the entries below as `readModelCard`
   * reads 0.1 metadata (`assumed` and a notice when the normalization or class names are missing).
   * Absent when the file has neither a card nor a fixed image input size.
   */
  modelCard?: ReadModelCardResult;
  /** The card's class names, else `class_names`. */
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

export function buildMetadataProps(callerMetadata: OnnxModelMetadata | undefined, facts: MetadataFacts): Array<{ key: string; value: string }> {
  const k = ONNX_METADATA_KEYS;
  const metadata = withCardDefaults(callerMetadata);
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
  if (metadata?.card) props[k.modelCard] = JSON.stringify(metadata.card);
  Object.assign(props, metadata?.extra ?? {});
  return Object.entries(props).map(([key, value]) => ({ key, value }));
}

/** Reads the metadata of an ONNX file without decoding its graph. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxFileMetadata {
  const props = decodeOnnxMetadataProps(bytes);
  const k = ONNX_METADATA_KEYS;
  const json = <T>(key: string): T | undefined => (props[key] !== undefined ? (JSON.parse(props[key]) as T) : undefined);
  const legacy = {
    classNames: json<string[]>(k.classNames),
    inputSize: json<[number, number, number]>(k.inputSize),
    preprocessing: json<Record<string, unknown>>(k.preprocessing),
    modelName: props[k.modelName],
  };
  const modelCard = readCardProps(props[k.modelCard], legacy);
  const classNames = modelCard?.card.classNames ?? legacy.classNames;
  return {
    ...(modelCard ? { modelCard } : {}),
    classNames,
    inputSize: legacy.inputSize,
    inputLayout: props[k.inputLayout] === 'nchw' ? 'nchw' : 'nhwc',
    inputName: props[k.inputName],
    outputName: props[k.outputName],
    preprocessing: legacy.preprocessing,
    modelName: legacy.modelName,
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
