import type * as tf from '@tensorflow/tfjs';
import type { JsonShapeLimits } from './json-limits';

/** Limits applied to model files from unknown sources. */
export interface ModelFileLimits extends JsonShapeLimits {
  /** Largest total weight size accepted, in bytes (also what a topology's layers may need as float32). Default 2 GiB. */
  maxWeightBytes?: number;
  /** Largest tensor rank accepted. Default 8. */
  maxRank?: number;
}

export const DEFAULT_MAX_WEIGHT_BYTES = 2 * 1024 ** 3;
export const DEFAULT_MAX_RANK = 8;

/** Bytes per element of the dtypes a layers model stores; `string`/`complex64` are refused. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

type Spec = tf.io.WeightsManifestEntry;

/** Checks one weight spec (name, dtype, shape, quantization) and returns its byte length. */
export function weightSpecBytes(spec: Spec, label: string, limits: ModelFileLimits = {}): number {
  const where = `${label}: weight ${JSON.stringify(spec?.name)}`;
  if (!spec || typeof spec.name !== 'string' || spec.name.length === 0) throw new Error(`${label}: a weight spec has no name`);
  if (!Object.hasOwn(DTYPE_BYTES, spec.dtype)) {
    throw new Error(`${where}: unknown or unsupported dtype ${JSON.stringify(spec.dtype)} (expected float32, int32 or bool)`);
  }
  const maxRank = limits.maxRank ?? DEFAULT_MAX_RANK;
  if (!Array.isArray(spec.shape) || spec.shape.length > maxRank) {
    throw new Error(`${where}: shape ${JSON.stringify(spec.shape)} is not a list of at most ${maxRank} dimensions`);
  }
  let elements = 1;
  for (const dim of spec.shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new Error(`${where}: shape ${JSON.stringify(spec.shape)} has an invalid dimension ${JSON.stringify(dim)}`);
    elements *= dim;
  }
  const maxBytes = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  let bytesPerElement = DTYPE_BYTES[spec.dtype];
  const q = spec.quantization;
  if (q !== undefined) {
    if (!q || !Object.hasOwn(QUANTIZED_BYTES, q.dtype)) {
      throw new Error(`${where}: unknown quantization dtype ${JSON.stringify(q?.dtype)} (expected uint8, uint16 or float16)`);
    }
    if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) {
      throw new Error(`${where}: ${q.dtype} quantization needs finite "scale" and "min"`);
    }
    bytesPerElement = QUANTIZED_BYTES[q.dtype];
  }
  const bytes = elements * bytesPerElement;
  if (!Number.isSafeInteger(bytes) || bytes > maxBytes) {
    throw new Error(`${where}: shape ${JSON.stringify(spec.shape)} needs ${bytes} bytes, over the ${maxBytes}-byte limit`);
  }
  return bytes;
}

/** Checks every spec and returns the total byte length they describe. */
export function weightSpecsBytes(specs: Spec[], label: string, limits: ModelFileLimits = {}): number {
  if (!Array.isArray(specs)) throw new Error(`${label}: "weights" of a manifest group must be a list`);
  const total = specs.reduce((sum, spec) => sum + weightSpecBytes(spec, label, limits), 0);
  const maxBytes = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (total > maxBytes) throw new Error(`${label}: weights total ${total} bytes, over the ${maxBytes}-byte limit`);
  return total;
}

/** Number of elements of a checked weight spec. */
export function weightSpecElements(spec: Spec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}
