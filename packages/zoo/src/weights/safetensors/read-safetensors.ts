import { DEFAULT_MAX_RANK, DEFAULT_MAX_WEIGHT_BYTES, type ModelFileLimits } from '../tfjs/weight-specs';
import { describeSource, readBinarySource, type BinarySource } from '../source/binary-source';
import { decodeFloats, FLOAT_DTYPES, isSafetensorsDtype, SAFETENSORS_DTYPE_BYTES, type SafetensorsDtype } from './dtypes';

/** One tensor of a safetensors file, as its header describes it. */
export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
}

/** A parsed safetensors file: its tensors (in file order) and `__metadata__`. */
export interface SafetensorsFile {
  /** The header's `__metadata__` (string keys and values), e.g. `{ format: 'pt' }`; empty when absent. */
  metadata: Record<string, string>;
  tensors: SafetensorsTensor[];
  /** The values of float tensor `name` (F32, F16, BF16 or F64) as float32; an error for other dtypes. */
  float32(name: string): Float32Array;
}

/** The reference implementation's limit on the JSON header (100 MB); real headers are a few KiB. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

interface Entry extends SafetensorsTensor {
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array, label: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.byteLength < 8) {
    throw new Error(`${label}: ${bytes.byteLength} bytes is too short for a safetensors file (an 8-byte header length, then the JSON header)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (length > MAX_SAFETENSORS_HEADER_BYTES) {
    throw new Error(`${label}: the header length ${length} is over the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit; this is not a safetensors file or it is corrupt`);
  }
  if (8 + length > bytes.byteLength) {
    throw new Error(`${label}: the header length ${length} runs past the end of the file (${bytes.byteLength} bytes); the file is truncated or not safetensors`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch {
    throw new Error(`${label}: the header is not UTF-8 text; this is not a safetensors file`);
  }
  if (!text.startsWith('{')) throw new Error(`${label}: the header does not start with "{"; this is not a safetensors file`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label}: the header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error(`${label}: the header is not a JSON object`);
  return { header: header as Record<string, unknown>, dataStart: 8 + length };
}

function parseMetadata(value: unknown, label: string): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new Error(`${label}: "__metadata__" must be an object of strings`);
  }
  return { ...(value as Record<string, string>) };
}

function parseEntry(name: string, value: unknown, label: string, limits: ModelFileLimits): Entry {
  const where = `${label}: tensor ${JSON.stringify(name)}`;
  if (value === null || typeof value !== 'object') throw new Error(`${where}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) {
    throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)} (safetensors dtypes: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`);
  }
  const maxRank = limits.maxRank ?? DEFAULT_MAX_RANK;
  if (!Array.isArray(shape) || shape.length > maxRank || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${where}: shape ${JSON.stringify(shape)} is not a list of at most ${maxRank} non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    throw new Error(`${where}: data_offsets ${JSON.stringify(offsets)} must be [begin, end] with 0 <= begin <= end`);
  }
  const needed = (shape as number[]).reduce((n, d) => n * d, 1) * SAFETENSORS_DTYPE_BYTES[dtype];
  const maxBytes = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (!Number.isSafeInteger(needed) || needed > maxBytes) {
    throw new Error(`${where}: shape ${JSON.stringify(shape)} needs ${needed} bytes, over the ${maxBytes}-byte limit`);
  }
  const [begin, end] = offsets as number[];
  if (end - begin !== needed) {
    throw new Error(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} ${JSON.stringify(shape)} needs ${needed}`);
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/** Tensors must tile the data section exactly, as the reference implementation requires: no overlaps, gaps or trailing bytes. */
function checkLayout(entries: Entry[], dataBytes: number, label: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: Entry | undefined;
  for (const entry of sorted) {
    if (entry.begin < position) {
      throw new Error(
        `${label}: tensors ${JSON.stringify(previous!.name)} [${previous!.begin}, ${previous!.end}] and ${JSON.stringify(entry.name)} [${entry.begin}, ${entry.end}] overlap`,
      );
    }
    if (entry.begin > position) {
      throw new Error(`${label}: tensor ${JSON.stringify(entry.name)} starts at byte ${entry.begin}, leaving ${entry.begin - position} unused bytes before it; the file is corrupt`);
    }
    if (entry.end > dataBytes) {
      throw new Error(`${label}: tensor ${JSON.stringify(entry.name)} ends at byte ${entry.end} of the data, which holds only ${dataBytes} bytes; the file is truncated`);
    }
    position = entry.end;
    previous = entry;
  }
  if (position !== dataBytes) throw new Error(`${label}: ${dataBytes - position} bytes after the last tensor; the file is corrupt`);
}

/**
 * Parses safetensors bytes (8-byte little-endian header length, JSON header, packed tensor data),
 * checking every tensor's dtype, shape and offsets before anything is read. Float tensors are
 * converted to float32 when asked for.
 */
export function decodeSafetensors(bytes: Uint8Array, label: string, limits: ModelFileLimits = {}): SafetensorsFile {
  const { header, dataStart } = parseHeader(bytes, label);
  const metadata = parseMetadata(header.__metadata__, label);
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, value]) => parseEntry(name, value, label, limits));
  const dataBytes = bytes.byteLength - dataStart;
  const maxBytes = limits.maxWeightBytes ?? DEFAULT_MAX_WEIGHT_BYTES;
  if (dataBytes > maxBytes) throw new Error(`${label}: ${dataBytes} bytes of tensors, over the ${maxBytes}-byte limit`);
  checkLayout(entries, dataBytes, label);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    metadata,
    tensors: entries.map(({ name, dtype, shape }) => ({ name, dtype, shape: [...shape] })),
    float32(name: string): Float32Array {
      const entry = byName.get(name);
      if (!entry) throw new Error(`${label}: no tensor ${JSON.stringify(name)}`);
      if (!FLOAT_DTYPES.includes(entry.dtype)) {
        throw new Error(`${label}: tensor ${JSON.stringify(name)} has dtype ${entry.dtype}; weights must be F32, F16, BF16 or F64`);
      }
      return decodeFloats(bytes.subarray(dataStart + entry.begin, dataStart + entry.end), entry.dtype);
    },
  };
}

/** Whether bytes look like safetensors (a JSON header after the 8-byte length) rather than HDF5 (`\x89HDF`). */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  const hdf5 = bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46;
  return !hdf5 && bytes.byteLength > 8 && bytes[8] === 0x7b;
}

export interface ReadSafetensorsOptions extends ModelFileLimits {
  /** The fetch used for URL sources (default: global fetch). */
  fetch?: typeof fetch;
}

/** Reads a safetensors file (local path in Node, http(s) URL, or bytes) with the checks of {@link decodeSafetensors}. */
export async function readSafetensors(source: BinarySource, options: ReadSafetensorsOptions = {}): Promise<SafetensorsFile> {
  const bytes = await readBinarySource(source, { fetch: options.fetch });
  return decodeSafetensors(bytes, describeSource(source), options);
}
