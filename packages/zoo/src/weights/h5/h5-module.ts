import h5wasm, { type File as H5File } from 'h5wasm';

/** The HDF5 signature; a file starts with it at offset 0 (or 512, 1024, ... with a user block). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

let scratchCounter = 0;

/** h5wasm keeps files in its in-memory file system; every call works on its own scratch name. */
function scratchName(): string {
  scratchCounter += 1;
  return `/resnet-ts-${Date.now().toString(36)}-${scratchCounter}.h5`;
}

async function h5Module() {
  return h5wasm.ready;
}

function signatureOffset(bytes: Uint8Array): number {
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[offset + i] === b)) return offset;
  }
  return -1;
}

/**
 * The end-of-file address the superblock declares (relative to the superblock), or undefined
 * for layouts we do not parse. Superblock v0/v1 keep it after the base and free-space addresses,
 * v2/v3 after the base and extension addresses; we assume 8-byte offsets, as every writer uses.
 */
function declaredLength(bytes: Uint8Array, offset: number): number | undefined {
  const version = bytes[offset + 8];
  const eofAt = { 0: 40, 1: 44, 2: 28, 3: 28 }[version as 0 | 1 | 2 | 3];
  const sizeOfOffsets = version <= 1 ? bytes[offset + 13] : bytes[offset + 9];
  if (eofAt === undefined || sizeOfOffsets !== 8 || offset + eofAt + 8 > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset + eofAt, 8);
  return Number(view.getBigUint64(0, true)) + offset;
}

/**
 * Opens HDF5 bytes read-only, runs `read` and always closes and frees the scratch copy.
 * `label` names the file in errors (a path, a URL or "bytes").
 */
export async function withH5File<T>(bytes: Uint8Array, label: string, read: (file: H5File) => T): Promise<T> {
  if (bytes.length === 0) throw new Error(`${label}: the file is empty, not an HDF5 (.h5) file`);
  if (signatureOffset(bytes) < 0) {
    throw new Error(`${label}: not an HDF5 file (no HDF5 signature); expected a Keras .h5 weights file`);
  }
  const declared = declaredLength(bytes, signatureOffset(bytes));
  if (declared !== undefined && declared > bytes.length) {
    throw new Error(`${label}: truncated HDF5 file: it declares ${declared} bytes but has ${bytes.length}. Download or copy it again.`);
  }
  const { FS } = await h5Module();
  const name = scratchName();
  FS.writeFile(name, bytes);
  let file: H5File | undefined;
  try {
    file = new h5wasm.File(name, 'r');
    if (file.file_id < 0n) {
      file = undefined;
      throw new Error(
        `${label}: HDF5 could not open the file; it is truncated or corrupt (${bytes.length} bytes). ` +
          'Download or copy it again.',
      );
    }
    return read(file);
  } finally {
    file?.close();
    FS.unlink(name);
  }
}

/** Builds a new HDF5 file in memory with `write` and returns its bytes. */
export async function createH5Bytes(write: (file: H5File) => void): Promise<Uint8Array> {
  const { FS } = await h5Module();
  const name = scratchName();
  const file = new h5wasm.File(name, 'w');
  try {
    write(file);
  } catch (error) {
    file.close();
    FS.unlink(name);
    throw error;
  }
  file.close();
  try {
    return FS.readFile(name);
  } finally {
    FS.unlink(name);
  }
}
