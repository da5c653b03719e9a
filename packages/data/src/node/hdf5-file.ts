import fs from 'node:fs';
import type H5Wasm from 'h5wasm/node';

// The same signature and end-of-file checks as @resnet-ts/zoo's `withH5File` (what `resnet convert`
// runs on Keras files), done on a file on disk: the layering gives data and zoo no shared package.

/** The HDF5 signature; a file starts with it at offset 0 (or 512, 1024, ... with a user block). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes of a superblock we read: the signature plus the fields up to its end-of-file address. */
const SUPERBLOCK_BYTES = 64;

type H5Module = typeof H5Wasm;
export type H5File = InstanceType<H5Module['File']>;

let h5Module: Promise<H5Module> | undefined;

/**
 * h5wasm compiles its wasm when imported: load it only when an HDF5 file is opened. Its HDF5 errors
 * are switched to exceptions carrying the error stack, instead of pages of HDF5-DIAG on stderr.
 */
export function loadH5wasm(): Promise<H5Module> {
  h5Module ??= import('h5wasm/node').then(async (m) => {
    const module = (await m.default.ready) as unknown as { activate_throwing_error_handler(): number };
    module.activate_throwing_error_handler();
    return m.default;
  });
  return h5Module;
}

function readAt(fd: number, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const read = fs.readSync(fd, bytes, 0, length, offset);
  return bytes.subarray(0, read);
}

/**
 * The superblock's declared end-of-file address (relative to the file start), or undefined for
 * layouts we do not parse. v0/v1 keep it after the base and free-space addresses, v2/v3 after the
 * base and extension addresses; we assume 8-byte offsets, as every writer uses.
 */
function declaredLength(superblock: Uint8Array, offset: number): number | undefined {
  const version = superblock[8];
  const eofAt = { 0: 40, 1: 44, 2: 28, 3: 28 }[version as 0 | 1 | 2 | 3];
  const sizeOfOffsets = version <= 1 ? superblock[13] : superblock[9];
  if (eofAt === undefined || sizeOfOffsets !== 8 || eofAt + 8 > superblock.length) return undefined;
  const view = new DataView(superblock.buffer, superblock.byteOffset + eofAt, 8);
  return Number(view.getBigUint64(0, true)) + offset;
}

/**
 * Checks that `filePath` is an HDF5 file of the length its superblock declares, before the HDF5
 * library sees it: an empty file, another format or a truncated copy is one clear error naming it.
 */
export function checkHdf5File(filePath: string): void {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`Cannot open HDF5 file ${filePath}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new Error(`HDF5 file ${filePath}: the file is empty, not an HDF5 (.h5) file`);
    for (let offset = 0; offset + HDF5_SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      const superblock = readAt(fd, offset, SUPERBLOCK_BYTES);
      if (!HDF5_SIGNATURE.every((b, i) => superblock[i] === b)) continue;
      const declared = declaredLength(superblock, offset);
      if (declared !== undefined && declared > size) {
        throw new Error(`HDF5 file ${filePath}: truncated HDF5 file: it declares ${declared} bytes but has ${size}. Copy or download it again.`);
      }
      return;
    }
    throw new Error(`HDF5 file ${filePath}: not an HDF5 file (no HDF5 signature); give an .h5 file with train_set_x and train_set_y, an image folder or a .csv manifest`);
  } finally {
    fs.closeSync(fd);
  }
}

/** The most specific line of an HDF5 error stack ("minor: ..." of its last frame), else the message's first line. */
function hdf5Reason(message: string): string {
  const frames = [...message.matchAll(/#\d+: .* in (\w+)\(\): (.*)\n\s*major: .*\n\s*minor: (.*)/g)];
  const last = frames.at(-1);
  return last ? `${last[2].trim()} (${last[3].trim()})` : (message.split('\n')[0] ?? message).trim();
}

/**
 * Opens an HDF5 file read-only after {@link checkHdf5File}, with the module {@link loadH5wasm}
 * gives; what the library could not read is one line naming the file.
 */
export function openHdf5File(h5wasm: H5Module, filePath: string): H5File {
  checkHdf5File(filePath);
  let file: H5File;
  try {
    file = new h5wasm.File(filePath, 'r');
  } catch (error) {
    throw new Error(`HDF5 file ${filePath}: HDF5 could not read it: ${hdf5Reason(String((error as Error).message ?? error))}; the file is corrupt or truncated`);
  }
  if (file.file_id < 0n) throw new Error(`HDF5 file ${filePath}: HDF5 could not open it; the file is corrupt or truncated`);
  return file;
}

/** Rewords an HDF5 error raised while reading `what` of an open file as one line naming the file. */
export function hdf5ReadError(filePath: string, what: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes(filePath)) return error as Error;
  return new Error(`HDF5 file ${filePath}: cannot read ${what}: ${hdf5Reason(message)}; the file may be corrupt or truncated`);
}
