import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileIO } from '@resnet-ts/zoo/node';
import { loadRunModel, resumeRun, trainRun, type RunOptions } from '../src/node/run';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

let work: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-run-size-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const run = (runDir: string, extra: Partial<RunOptions> = {}): RunOptions => ({
  runDir,
  model: tinyConvNet(8, 3, 4),
  train: randomDataset(8, 3, 8, 1),
  val: randomDataset(4, 3, 8, 2),
  epochs: 1,
  batchSize: 4,
  reportImages: 0,
  // The live weights: with EMA the final model is the average, which `last` does not hold.
  ema: false,
  onNotice: () => undefined,
  ...extra,
});

/** The inode of each weight shard of a model folder. */
async function shardInodes(folder: string): Promise<number[]> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.bin')).sort();
  expect(names.length).toBeGreaterThan(0);
  return Promise.all(names.map(async (n) => (await stat(join(folder, n))).ino));
}

describe('run folder size', () => {
  it('stores weights that the final model, `last` and `best` share once (hard links)', async () => {
    const dir = join(work, 'shared');
    const options = run(dir);
    await trainRun(options);
    const final = await shardInodes(join(dir, 'model'));
    expect(await shardInodes(join(dir, 'checkpoints', 'last', 'model'))).toEqual(final);
    expect(await shardInodes(join(dir, 'checkpoints', 'best', 'model'))).toEqual(final);
    // A later save writes new files: the linked ones keep their content.
    const resumed = await resumeRun({ ...run(dir), epochs: 2 });
    expect(await shardInodes(join(dir, 'checkpoints', 'last', 'model'))).toEqual(await shardInodes(join(dir, 'model')));
    for (const tag of ['last', 'best']) (await tf.loadLayersModel(fileIO(join(dir, 'checkpoints', tag, 'model')))).dispose();
    resumed.model.dispose();
    options.model.dispose();
  });

  it('keeps only the checkpoints asked for once the run completes', async () => {
    for (const [keep, left] of [['best', ['best']], ['last', ['last']], ['none', []]] as const) {
      const dir = join(work, `keep-${keep}`);
      const options = run(dir, { keepCheckpoints: keep });
      await trainRun(options);
      expect((await readdir(join(dir, 'checkpoints')).catch(() => [])).sort()).toEqual(left);
      expect(existsSync(join(dir, 'model', 'model.json'))).toBe(true);
      const loaded = await loadRunModel(dir);
      expect(loaded.source).toBe(join(dir, 'model'));
      loaded.model.dispose();
      options.model.dispose();
    }
  });
});
