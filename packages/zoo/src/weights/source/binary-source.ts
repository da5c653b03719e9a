import { readLocalFile } from './local-files';

/** Where weights come from: a local path (Node), an http(s) URL, or the bytes themselves. */
export type BinarySource = string | URL | ArrayBuffer | ArrayBufferView;

export interface ReadBinaryOptions {
  /** The fetch used for URLs (default: the global fetch). */
  fetch?: typeof fetch;
}

const URL_SCHEME = /^(https?|blob|data):/i;

/** A name for the source in messages: the path, the URL, or "bytes". */
export function describeSource(source: BinarySource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  return `<${source.byteLength} bytes>`;
}

async function fetchBytes(url: string, fetchImpl: typeof fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new Error(`${url}: download failed (${(error as Error).message}); pass a local file instead`);
  }
  if (!response.ok) throw new Error(`${url}: download failed with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Reads a binary source into bytes. */
export async function readBinarySource(source: BinarySource, options: ReadBinaryOptions = {}): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const text = source instanceof URL ? source.href : source;
  if (text.startsWith('file://')) return readLocalFile(decodeURIComponent(new URL(text).pathname));
  if (URL_SCHEME.test(text)) return fetchBytes(text, options.fetch ?? globalThis.fetch);
  return readLocalFile(text);
}
