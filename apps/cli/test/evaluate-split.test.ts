import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '@resnet-ts/trainer';
import type { EvaluateJson } from '../src/commands/evaluate';
import { runCli, runCliJson } from './run-cli';

const work = mkdtempSync(path.join(tmpdir(), 'resnet-evaluate-split-'));
const runDir = path.join(work, 'run');
const classes = ['apple', 'banana', 'cherry'];
const wasm = ['--backend', 'wasm', '--threads', '1'];

/** `<root>/<class>/<i>.png` for each class, `count` flat-coloured 32x32 images each. */
function writeClassFolder(root: string, count: number, names: readonly string[] = classes): string {
  names.forEach((name, c) => {
    mkdirSync(path.join(root, name), { recursive: true });
    for (let i = 0; i < count; i++) {
      const pixels = new Uint8Array(32 * 32 * 3).fill(40 + 60 * c + i);
      writeFileSync(path.join(root, name, `${i}.png`), encodePng(pixels, 32, 32, 3));
    }
  });
  return root;
}

const evaluate = (...args: string[]) => runCliJson<EvaluateJson>([...wasm, 'evaluate', runDir, '--json', ...args]).value;

beforeAll(async () => {
  const trained = runCli([
    ...wasm, 'train', '--data', writeClassFolder(path.join(work, 'train-folder'), 5), '--model', 'resnet18', '--input-size', '32',
    '--batch-size', '4', '--epochs', '1', '--steps-per-epoch', '1', '--out', runDir,
  ]);
  expect(trained.code, trained.stderr).toBe(0);
  await h5wasm.ready;
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('resnet evaluate: which examples', () => {
  it('evaluates all of a plain class folder the run did not train on', () => {
    const result = evaluate('--data', writeClassFolder(path.join(work, 'plain'), 4));
    expect(result).toMatchObject({ split: 'all', count: 12 });
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(12);
  });

  it("evaluates the val split of the run's own data, and says so when asked for all of it", () => {
    expect(evaluate()).toMatchObject({ split: 'val', count: 3 });
    expect(evaluate('--data', path.join(work, 'train-folder'))).toMatchObject({ split: 'val', count: 3 });
    const all = runCli([...wasm, 'evaluate', runDir, '--split', 'all', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ split: 'all', count: 15 });
    expect(all.stderr).toMatch(/is the data this run trained on, so these numbers are not held-out/);
  });

  it('evaluates the test split of a folder with train/ and test/ by default', () => {
    const root = path.join(work, 'split-folders');
    writeClassFolder(path.join(root, 'train'), 2);
    writeClassFolder(path.join(root, 'test'), 3);
    expect(evaluate('--data', root)).toMatchObject({ split: 'test', count: 9 });
  });

  it('refuses a split the data does not have, naming the splits it has (exit 2)', () => {
    const result = runCli([...wasm, 'evaluate', runDir, '--data', path.join(work, 'plain'), '--split', 'test']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--split test: .*plain has no test split \(it has: all, train, val\)/);
  });

  it('reads the HDF5 datasets named by --h5-keys, all of them by default', () => {
    const file = path.join(work, 'test_fruit.h5');
    const h5 = new h5wasm.File(file, 'w');
    const n = 6;
    h5.create_dataset({ name: 'test_set_x', data: new Uint8Array(n * 32 * 32 * 3).fill(90), shape: [n, 32, 32, 3], dtype: '<B' });
    h5.create_dataset({ name: 'test_set_y', data: new BigInt64Array([0n, 1n, 2n, 0n, 1n, 2n]), shape: [n] });
    h5.create_dataset({ name: 'list_classes', data: classes, shape: [3] });
    h5.close();
    expect(evaluate('--data', file, '--h5-keys', 'test_set_x,test_set_y,list_classes')).toMatchObject({ split: 'all', count: 6 });
    const bad = runCli([...wasm, 'evaluate', runDir, '--data', file, '--h5-keys', 'test_set_x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--h5-keys .*Expected two or three HDF5 dataset names/);
  });

  it('says in one line that the model and the data have different class counts', () => {
    const result = runCli([...wasm, 'evaluate', runDir, '--data', 'synthetic']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/predicts 3 classes but synthetic has 6/);
  });
});
