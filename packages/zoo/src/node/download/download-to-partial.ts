import { open, rm, stat } from 'node:fs/promises';
import type { DownloadProgress } from './download-progress';

export interface PartialDownload {
  url: string;
  /** The `.partial` file the bytes go to; an existing one is resumed with an HTTP Range request. */
  partialPath: string;
  /** The name progress reports show. */
  fileName: string;
  fetch: typeof fetch;
  onProgress?: (progress: DownloadProgress) => void;
}

/** A download that could not start or finish; `offline` when no connection could be made at all. */
export class DownloadFailure extends Error {
  constructor(
    message: string,
    readonly offline: boolean,
  ) {
    super(message);
    this.name = 'DownloadFailure';
  }
}

/** `bytes <start>-<end>/<total>` of a 206 response: the start, and the total when given. */
function contentRange(response: Response): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range')?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), ...(match[2] === '*' ? {} : { total: Number(match[2]) }) };
}

function contentLength(response: Response): number | undefined {
  const value = response.headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

const reasonOf = (error: unknown) => {
  const cause = (error as { cause?: unknown }).cause;
  const message = (error as Error).message ?? String(error);
  return cause instanceof Error && cause.message && cause.message !== message ? `${message}: ${cause.message}` : message;
};

async function request(part: PartialDownload, from: number): Promise<Response> {
  try {
    return await part.fetch(part.url, from > 0 ? { headers: { Range: `bytes=${from}-` } } : {});
  } catch (error) {
    throw new DownloadFailure(`${part.url}: cannot connect (${reasonOf(error)})`, true);
  }
}

/**
 * Downloads `url` into `partialPath`, resuming a partial file left by an earlier attempt: it asks
 * for the rest with `Range: bytes=<size>-` and appends when the server answers 206 from that
 * offset; a server that ignores Range (200, the whole body) or answers 416 gets a fresh download
 * that overwrites the partial file. A connection that breaks mid-body leaves the bytes received
 * so far in the partial file for the next attempt. Resolves once the body is complete on disk.
 */
export async function downloadToPartial(part: PartialDownload): Promise<void> {
  const existing = (await stat(part.partialPath).catch(() => undefined))?.size ?? 0;
  let response = await request(part, existing);
  if (existing > 0 && response.status === 416) {
    // The partial file is as long as the whole file or longer: it cannot be resumed.
    await response.body?.cancel();
    await rm(part.partialPath, { force: true });
    response = await request(part, 0);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadFailure(`${part.url}: download failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, false);
  }
  const range = response.status === 206 ? contentRange(response) : undefined;
  if (response.status === 206 && range?.start !== existing) {
    await response.body?.cancel();
    throw new DownloadFailure(`${part.url}: the server answered a range from ${range?.start ?? 'an unknown offset'}, not from byte ${existing} as asked`, false);
  }
  const resumedFrom = range ? existing : 0;
  const length = contentLength(response);
  const totalBytes = range?.total ?? (length !== undefined ? resumedFrom + length : undefined);
  const report = (receivedBytes: number, done: boolean) =>
    part.onProgress?.({ url: part.url, fileName: part.fileName, receivedBytes, ...(totalBytes !== undefined ? { totalBytes } : {}), resumedFrom, done });

  // 'a' appends to the partial file; 'w' starts it again (fresh download, or Range ignored).
  const file = await open(part.partialPath, resumedFrom > 0 ? 'a' : 'w');
  let received = resumedFrom;
  try {
    report(received, false);
    const reader = response.body?.getReader();
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
      await file.write(chunk.value);
      received += chunk.value.byteLength;
      report(received, false);
    }
    await file.sync();
  } catch (error) {
    throw new DownloadFailure(
      `${part.url}: download interrupted after ${received}${totalBytes !== undefined ? ` of ${totalBytes}` : ''} bytes (${reasonOf(error)}); ` +
        `the bytes so far are kept in ${part.partialPath} and the next attempt resumes from there`,
      false,
    );
  } finally {
    await file.close();
  }
  if (totalBytes !== undefined && received !== totalBytes) {
    throw new DownloadFailure(
      `${part.url}: download ended after ${received} of ${totalBytes} bytes; the bytes so far are kept in ${part.partialPath} and the next attempt resumes from there`,
      false,
    );
  }
  report(received, true);
}
