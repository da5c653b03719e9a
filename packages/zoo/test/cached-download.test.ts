import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedDownload, type DownloadProgress } from '../src/node/index';

/** 256 KiB of deterministic bytes: the file the loopback server publishes. */
const BODY = Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));
const HALF = BODY.length / 2;
const SHA256 = createHash('sha256').update(BODY).digest('hex');
const MD5 = createHash('md5').update(BODY).digest('hex');

let server: Server;
let base: string;
let dir: string;
/** The Range header of each request, per path (null: none). */
let ranges: Record<string, Array<string | null>>;
/** /flaky.bin sends HALF bytes and holds the connection open while this is true... */
let cutNext: boolean;
/** ...until the client has written them all (its progress report says so), then cuts it. */
let heldOpen: ServerResponse | undefined;
const cutWhenHalfWritten = (p: DownloadProgress) => {
  if (p.receivedBytes === HALF) heldOpen?.destroy();
};

/** Answers a Range request with 206 and the rest of BODY, like a static file server. */
function serveBody(req: IncomingMessage, res: ServerResponse, honourRange: boolean): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (match && honourRange) {
    const start = Number(match[1]);
    if (start >= BODY.length) return void res.writeHead(416, { 'Content-Range': `bytes */${BODY.length}` }).end();
    res.writeHead(206, { 'Content-Length': BODY.length - start, 'Content-Range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` });
    return void res.end(BODY.subarray(start));
  }
  res.writeHead(200, { 'Content-Length': BODY.length });
  res.end(BODY);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    (ranges[path] ??= []).push(req.headers.range ?? null);
    if (path === '/file.bin') return serveBody(req, res, true);
    if (path === '/no-range.bin') return serveBody(req, res, false);
    // Slow to start, so that two downloads of it overlap.
    if (path === '/slow.bin') return void setTimeout(() => serveBody(req, res, true), 300);
    if (path === '/wrong.bin') return void res.end(Buffer.alloc(BODY.length, 1));
    if (path === '/flaky.bin') {
      if (!cutNext) return serveBody(req, res, true);
      cutNext = false;
      res.writeHead(200, { 'Content-Length': BODY.length });
      heldOpen = res;
      return void res.write(BODY.subarray(0, HALF));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cached-download-'));
  ranges = {};
  cutNext = false;
  return () => rmSync(dir, { recursive: true, force: true });
});

const download = (path: string, extra: Partial<Parameters<typeof cachedDownload>[0]> = {}) =>
  cachedDownload({ url: `${base}${path}`, fileHash: SHA256, fileName: 'weights.h5', cacheDir: dir, ...extra });

describe('cachedDownload', () => {
  it('downloads into the cache, reports progress, and serves the cached file afterwards without a request', async () => {
    const reports: DownloadProgress[] = [];
    const path = await download('/file.bin', { cacheSubdir: 'models', onProgress: (p) => reports.push(p) });
    expect(path).toBe(join(dir, 'models', 'weights.h5'));
    expect(readFileSync(path).equals(BODY)).toBe(true);
    expect(readdirSync(join(dir, 'models')).sort()).toEqual(['weights.h5', 'weights.h5.verified']);
    expect(reports.at(-1)).toEqual({ url: `${base}/file.bin`, fileName: 'weights.h5', receivedBytes: BODY.length, totalBytes: BODY.length, resumedFrom: 0, done: true });
    expect(reports.filter((p) => p.done)).toHaveLength(1);

    expect(await download('/file.bin', { cacheSubdir: 'models' })).toBe(path);
    expect(ranges['/file.bin']).toHaveLength(1);
  });

  it("takes Keras's 32-digit hashes as MD5", async () => {
    expect(readFileSync(await download('/file.bin', { fileHash: MD5.toUpperCase() })).equals(BODY)).toBe(true);
  });

  it('hashes a file put in the cache by hand once, and downloads again over a cached file that changed', async () => {
    writeFileSync(join(dir, 'weights.h5'), BODY);
    expect(await download('/file.bin')).toBe(join(dir, 'weights.h5'));
    expect(ranges['/file.bin']).toBeUndefined();
    expect(existsSync(join(dir, 'weights.h5.verified'))).toBe(true);

    writeFileSync(join(dir, 'weights.h5'), BODY.subarray(0, 1000)); // truncated after it was verified
    const path = await download('/file.bin');
    expect(ranges['/file.bin']).toEqual([null]);
    expect(readFileSync(path).equals(BODY)).toBe(true);
  });

  it('two downloads of one file at once take turns on its lock: one request, one intact file, no lock or partial left', async () => {
    const [a, b] = await Promise.all([download('/slow.bin'), download('/slow.bin')]);
    expect(a).toBe(b);
    expect(readFileSync(a).equals(BODY)).toBe(true);
    // The second waited for the first's lock, then found the file cached.
    expect(ranges['/slow.bin']).toEqual([null]);
    expect(readdirSync(dir).sort()).toEqual(['weights.h5', 'weights.h5.verified']);
  });

  it('takes over a download lock left by a process that no longer runs', async () => {
    // A pid above Linux's pid_max (2^22) cannot be running.
    writeFileSync(join(dir, 'weights.h5.lock'), JSON.stringify({ pid: 2 ** 22 + 1, hostname: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
    expect(readFileSync(await download('/file.bin')).equals(BODY)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['weights.h5', 'weights.h5.verified']);
  });

  it('refuses to wait for a lock held on another host, naming the lock file', async () => {
    const lock = join(dir, 'weights.h5.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, hostname: 'elsewhere.invalid', startedAt: '2020-01-01T00:00:00.000Z' }));
    await expect(download('/file.bin')).rejects.toThrow(`${lock}: another host is downloading this file (pid 1 on elsewhere.invalid`);
    expect(ranges['/file.bin']).toBeUndefined();
  });

  it('refuses a file with the wrong hash, naming the URL and both hashes, and keeps nothing a later run would trust', async () => {
    const wrong = createHash('sha256').update(Buffer.alloc(BODY.length, 1)).digest('hex');
    await expect(download('/wrong.bin')).rejects.toThrow(
      `${base}/wrong.bin: the downloaded file has sha256 ${wrong}, expected ${SHA256}; it was deleted and nothing was cached`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the partial file when the connection is cut mid-body, and says so', async () => {
    cutNext = true;
    const error = await download('/flaky.bin', { onProgress: cutWhenHalfWritten }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`^${base}/flaky\\.bin: download interrupted after ${HALF} of ${BODY.length} bytes \\(.+\\); the bytes so far are kept in ${join(dir, 'weights.h5.partial')}`),
    );
    expect(readdirSync(dir)).toEqual(['weights.h5.partial']);
    expect(statSync(join(dir, 'weights.h5.partial')).size).toBe(HALF);
  });

  it('resumes a cut download with a Range request and checks the hash of the whole file', async () => {
    cutNext = true;
    await expect(download('/flaky.bin', { onProgress: cutWhenHalfWritten })).rejects.toThrow(/download interrupted/);
    const reports: DownloadProgress[] = [];
    const path = await download('/flaky.bin', { onProgress: (p) => reports.push(p) });
    expect(ranges['/flaky.bin']).toEqual([null, `bytes=${HALF}-`]);
    expect(readFileSync(path).equals(BODY)).toBe(true);
    expect(reports[0]).toMatchObject({ receivedBytes: HALF, totalBytes: BODY.length, resumedFrom: HALF });
    expect(readdirSync(dir).sort()).toEqual(['weights.h5', 'weights.h5.verified']);
  });

  it('starts over when the server ignores Range and sends the whole file', async () => {
    writeFileSync(join(dir, 'weights.h5.partial'), Buffer.alloc(5000, 9)); // not even the file's first bytes
    const path = await download('/no-range.bin');
    expect(ranges['/no-range.bin']).toEqual(['bytes=5000-']);
    expect(readFileSync(path).equals(BODY)).toBe(true);
  });

  it('starts over when the partial file is already as long as the file (416)', async () => {
    writeFileSync(join(dir, 'weights.h5.partial'), Buffer.alloc(BODY.length, 3));
    const path = await download('/file.bin');
    expect(ranges['/file.bin']).toEqual([`bytes=${BODY.length}-`, null]);
    expect(readFileSync(path).equals(BODY)).toBe(true);
  });

  it('offline: names the URL and the exact path to put the file at by hand', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/weights.h5`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await cachedDownload({ url, fileHash: SHA256, fileName: 'weights.h5', cacheDir: dir, cacheSubdir: 'models' }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(new RegExp(`^${url}: cannot connect \\(.*ECONNREFUSED.*\\)\\. Offline\\?`));
    expect((error as Error).message).toContain(`Download ${url} by hand and put it at ${join(dir, 'models', 'weights.h5')} (its sha256 must be ${SHA256})`);
    expect(readdirSync(join(dir, 'models'))).toEqual([]);
  });

  it('names an HTTP error status', async () => {
    await expect(download('/missing.bin')).rejects.toThrow(`${base}/missing.bin: download failed with HTTP 404 Not Found. Run again to retry`);
  });

  it('refuses a hash that is neither SHA-256 nor MD5, and a file name with a folder in it', async () => {
    await expect(download('/file.bin', { fileHash: 'abc123' })).rejects.toThrow('file hash abc123: 6 hex digits, expected 64 (SHA-256) or 32 (MD5)');
    await expect(download('/file.bin', { fileName: '../escape.h5' })).rejects.toThrow(/fileName must be a plain file name/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
