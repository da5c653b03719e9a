import { mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '@resnet-ts/trainer';
import type { EvaluateJson } from '../src/commands/evaluate';
import type { PredictJson } from '../src/commands/predict';
import { runCli, type CliResult } from './run-cli';

// Bad data and --on-error through the built binary: resnet18 at 32x32, a handful of images, 1 epoch.
const work = mkdtempSync(path.join(tmpdir(), 'resnet-bad-input-'));
const wasm = ['--backend', 'wasm', '--threads', '1'];
const tiny = ['--model', 'resnet18', '--input-size', '32', '--batch-size', '4', '--epochs', '1', '--workers', '1'];
const runDir = path.join(work, 'run-lamb');
const photos = path.join(work, 'photos');
const broken = path.join(photos, 'ant', 'broken.png');
let trained: CliResult;

function writeImage(file: string, seed: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodePng(new Uint8Array(32 * 32 * 3).map((_, i) => (i * (3 + seed) + seed * 41) % 256), 32, 32, 3));
}

/** `resnet ...` in the work folder. */
const cli = (args: readonly string[]) => runCli(args, {}, { cwd: work, timeoutMs: 300_000 });

/** A command that fails with exit `code` and leaves no new entry in the work folder. */
function failsWritingNothing(args: readonly string[], code = 1): string {
  const before = new Set(readdirNames());
  const result = cli(args);
  expect(result.code, result.stderr).toBe(code);
  expect(readdirNames().filter((name) => !before.has(name))).toEqual([]);
  return result.stderr;
}
const readdirNames = () => readdirSync(work);

beforeAll(() => {
  for (const c of ['ant', 'bee']) for (let i = 0; i < 4; i++) writeImage(path.join(photos, c, `${i}.png`), i + (c === 'bee' ? 10 : 0));
  writeFileSync(broken, 'not a png at all');
  writeFileSync(path.join(work, 'lamb.yaml'), 'optimizer: lamb\n');
  trained = cli([...wasm, 'train', '--config', 'lamb.yaml', '--data', photos, ...tiny, '--on-error', 'skip', '--out', runDir]);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('resnet train with a config file and --on-error skip', () => {
  it('trains with optimizer: lamb from the config file: run.json records lamb and the optimizer state is lamb\'s', () => {
    expect(trained.code, trained.stderr).toBe(0);
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run.recipe.training.optimizer).toEqual({ type: 'lamb' });
    const state = JSON.parse(readFileSync(path.join(runDir, 'checkpoints', 'last', 'optimizer.json'), 'utf8'));
    expect(state.type).toBe('lamb');
    // LAMB keeps Adam's two moments per trained weight.
    expect(state.specs.some((s: { name: string }) => s.name.endsWith('/m'))).toBe(true);
  });

  it('leaves the unreadable image out with a warning naming it, counts it at the end and records onError: skip', () => {
    expect(trained.stderr).toMatch(/Skipping .*broken\.png/);
    expect(trained.stderr).toContain('resnet: skipped 1 unreadable image while training');
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run.recipe.data).toMatchObject({ kind: 'folder', onError: 'skip' });
  });

  it('without --on-error stops at the image, naming it and the flag that skips it', () => {
    const result = cli([...wasm, 'train', '--data', photos, ...tiny, '--out', path.join(work, 'run-fail')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/resnet: .*broken\.png: .*\(--on-error skip leaves unreadable images out\)/);
    expect(result.stderr).not.toContain("onError: 'skip'");
  });
});

describe('resnet evaluate and predict --on-error', () => {
  it('evaluate --on-error skip reports the metrics of the readable images and how many it skipped', () => {
    // train/ and val/ subfolders: the bad image is in the val split for sure.
    const evalSet = path.join(work, 'eval-set');
    for (const split of ['train', 'val']) for (const c of ['ant', 'bee']) writeImage(path.join(evalSet, split, c, '0.png'), c.length);
    writeFileSync(path.join(evalSet, 'val', 'bee', 'bad.png'), 'not a png');
    const result = cli([...wasm, 'evaluate', runDir, '--data', evalSet, '--on-error', 'skip', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout) as EvaluateJson).toMatchObject({ count: 2, skipped: 1 });
    expect(result.stderr).toContain('resnet: skipped 1 unreadable image of the val split');
    const failing = cli([...wasm, 'evaluate', runDir, '--data', evalSet]);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/bad\.png: .*\(--on-error skip leaves unreadable images out\)/);
  });

  it('predict over a folder with a bad image: fails naming it, or with --on-error skip ranks the others and exits 1', () => {
    const failing = cli([...wasm, 'predict', runDir, photos, '--json']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe('');
    expect(failing.stderr).toMatch(/broken\.png: .*\(--on-error skip ranks the other images and reports this one\)/);
    const skipping = cli([...wasm, 'predict', runDir, photos, '--on-error', 'skip', '--json']);
    expect(skipping.code).toBe(1);
    const json = JSON.parse(skipping.stdout) as PredictJson;
    expect(json.predictions).toHaveLength(8);
    expect(json.failed).toEqual([{ file: broken, error: expect.stringContaining('broken.png') }]);
    expect(skipping.stderr).toMatch(/resnet: Skipping .*broken\.png/);
    expect(skipping.stderr).toContain('resnet: 1 of 9 images could not be read');
  });
});

describe('resnet train refuses data it cannot train on, before any run folder exists', () => {
  it('one class', () => {
    const one = path.join(work, 'one-class');
    for (let i = 0; i < 2; i++) writeImage(path.join(one, 'ant', `${i}.png`), i);
    const stderr = failsWritingNothing([...wasm, 'train', '--data', one, ...tiny]);
    expect(stderr).toContain(`resnet: ${one}: training needs at least 2 classes, found only "ant"`);
  });

  it('an .h5 file that is not HDF5, or truncated, or that HDF5 cannot read: one line naming the file, no HDF5-DIAG', () => {
    const notH5 = path.join(work, 'labels.h5');
    writeFileSync(notH5, 'path,label\n');
    expect(failsWritingNothing([...wasm, 'train', '--data', notH5, ...tiny])).toMatch(/resnet: HDF5 file .*labels\.h5: not an HDF5 file \(no HDF5 signature\)/);
    // An HDF5 signature and a version 2 superblock declaring 4096 bytes, in a 48-byte file.
    const superblock = Buffer.alloc(48);
    Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 2, 8, 8]).copy(superblock);
    superblock.writeBigUInt64LE(4096n, 28);
    const truncated = path.join(work, 'cut.h5');
    writeFileSync(truncated, superblock);
    expect(failsWritingNothing([...wasm, 'train', '--data', truncated, ...tiny])).toMatch(/resnet: HDF5 file .*cut\.h5: truncated HDF5 file: it declares 4096 bytes but has 48/);
    superblock.writeBigUInt64LE(48n, 28);
    const forged = path.join(work, 'forged.h5');
    writeFileSync(forged, superblock);
    const stderr = failsWritingNothing([...wasm, 'train', '--data', forged, ...tiny]);
    expect(stderr).not.toContain('HDF5-DIAG');
    // One line, besides the backend notice.
    expect(stderr.trim().split('\n').filter((line) => !line.startsWith('resnet: using'))).toEqual([
      expect.stringMatching(/^resnet: HDF5 file .*forged\.h5: HDF5 could not read it: .*; the file is corrupt or truncated$/),
    ]);
  });

  it('a link out of the data folder, naming the entry and the root (--allow-outside-root reads it)', () => {
    const linked = path.join(work, 'linked');
    for (const c of ['ant', 'bee']) for (let i = 0; i < 2; i++) writeImage(path.join(linked, c, `${i}.png`), i);
    symlinkSync('/etc/passwd', path.join(linked, 'bee', 'passwd.png'));
    const stderr = failsWritingNothing([...wasm, 'train', '--data', linked, ...tiny]);
    expect(stderr).toContain(`resnet: ${path.join(linked, 'bee', 'passwd.png')} links to /etc/passwd, outside the dataset root ${linked}`);
    expect(stderr).toContain('--allow-outside-root');
    const recipe = JSON.parse(cli(['train', '--data', linked, ...tiny, '--allow-outside-root', '--print-recipe']).stdout);
    expect(recipe.data).toMatchObject({ allowOutsideRoot: true });
  });
});
