import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGENET_WEIGHT_VARIANTS, imagenetWeightsSource } from '../src/weights/index';
import { createProgressBar, defaultCacheDir, formatDownloadProgress, imagenetWeightsFile, type DownloadProgress } from '../src/node/index';

let server: Server;
let base: string;
let dir: string;
const requested: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'imagenet-weights-'));
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.end('not the Keras file');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror/`;
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

describe("Keras's ImageNet weight files", () => {
  it("names Keras's URL, file and MD5 for each variant, with and without top", () => {
    expect(IMAGENET_WEIGHT_VARIANTS).toEqual(['resnet50', 'resnet101', 'resnet152', 'resnet50v2', 'resnet101v2', 'resnet152v2']);
    expect(imagenetWeightsSource('resnet50')).toEqual({
      fileName: 'resnet50_weights_tf_dim_ordering_tf_kernels.h5',
      url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5',
      fileHash: '2cb95161c43110f7111970584f804107',
      hashAlgorithm: 'md5',
    });
    expect(imagenetWeightsSource('resnet152v2', { includeTop: false })).toMatchObject({
      url: 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet152v2_weights_tf_dim_ordering_tf_kernels_notop.h5',
      fileHash: 'ed17cf2e0169df9d443503ef94b23b33',
    });
  });

  it('refuses a variant Keras publishes no weights for, naming those it does', () => {
    expect(() => imagenetWeightsSource('resnet18')).toThrow(
      'resnet18: Keras publishes no ImageNet weights for it; "imagenet" weights exist for resnet50, resnet101, resnet152, resnet50v2, resnet101v2, resnet152v2',
    );
  });

  it("downloads from a mirror into <cache>/models and checks Keras's hash before keeping it", async () => {
    const error = await imagenetWeightsFile('resnet50', { includeTop: false, cacheDir: dir, baseUrl: base }).catch((e: Error) => e);
    expect(requested).toEqual(['/mirror/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5']);
    expect((error as Error).message).toMatch(/has md5 [0-9a-f]{32}, expected 4d473c1dd8becc155b73f8504c6f6626; it was deleted and nothing was cached/);
    expect(readdirSync(join(dir, 'models'))).toEqual([]);
  });

  it('offline: says where to put the file by hand', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const offline = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((done) => closed.close(() => done()));
    await expect(imagenetWeightsFile('resnet101v2', { cacheDir: dir, baseUrl: offline })).rejects.toThrow(
      `Offline? Download ${offline}resnet101v2_weights_tf_dim_ordering_tf_kernels.h5 by hand and put it at ` +
        `${join(dir, 'models', 'resnet101v2_weights_tf_dim_ordering_tf_kernels.h5')} (its md5 must be 6343647c601c52e1368623803854d971)`,
    );
  });
});

describe('the cache folder', () => {
  it('is $RESNET_TS_CACHE, else $XDG_CACHE_HOME/resnet-ts, else ~/.cache/resnet-ts', () => {
    expect(defaultCacheDir({ RESNET_TS_CACHE: 'rel/cache', XDG_CACHE_HOME: '/xdg' })).toBe(resolve('rel/cache'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/resnet-ts');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'resnet-ts'));
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'resnet-ts'));
  });
});

describe('the download progress bar', () => {
  const MiB = 1024 * 1024;
  const at = (receivedBytes: number, extra: Partial<DownloadProgress> = {}): DownloadProgress => ({
    url: 'https://example.invalid/w.h5',
    fileName: 'w.h5',
    receivedBytes,
    totalBytes: 100 * MiB,
    resumedFrom: 0,
    done: false,
    ...extra,
  });

  it('formats the bar, percent and MiB, and a resumed start', () => {
    expect(formatDownloadProgress(at(45 * MiB), 10)).toBe('w.h5 [####------]  45% 45.0/100.0 MiB');
    expect(formatDownloadProgress(at(60 * MiB, { resumedFrom: 50 * MiB }), 10)).toBe('w.h5 [######----]  60% 60.0/100.0 MiB (resumed at 50.0 MiB)');
    expect(formatDownloadProgress(at(3 * MiB, { totalBytes: undefined }))).toBe('w.h5 3.0 MiB');
  });

  it('writes a line per 10 % to a log, and redraws one line on a terminal', () => {
    const log: string[] = [];
    const toLog = createProgressBar({ stream: { write: (text: string) => log.push(text) }, barWidth: 4 });
    for (let mib = 0; mib <= 100; mib += 1) toLog(at(mib * MiB, { done: mib === 100 }));
    expect(log).toHaveLength(11);
    expect(log[10]).toBe('w.h5 [####] 100% 100.0/100.0 MiB\n');

    const screen: string[] = [];
    const toTerminal = createProgressBar({ stream: { write: (text: string) => screen.push(text), isTTY: true }, barWidth: 4 });
    for (const kib of [0, 512, 1000]) toTerminal(at(kib * 1024)); // all below 1 %: one draw
    toTerminal(at(100 * MiB));
    toTerminal(at(100 * MiB, { done: true }));
    expect(screen).toEqual(['\rw.h5 [----]   0% 0.0/100.0 MiB', '\rw.h5 [####] 100% 100.0/100.0 MiB', '\n']);
  });
});
