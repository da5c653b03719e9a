import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRun, type RunOptions } from '../src/node/run';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

let work: string;
let sleeper: ChildProcess;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-run-folder-'));
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
afterAll(async () => {
  sleeper.kill('SIGKILL');
  await rm(work, { recursive: true, force: true });
});

/** The pid of a process that has exited (not reused this soon). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function run(runDir: string, notices: string[] = [], classes = 3): RunOptions {
  return {
    runDir,
    model: tinyConvNet(8, classes, 2),
    train: randomDataset(8, 3, 8, 1),
    val: randomDataset(4, 3, 8, 2),
    epochs: 1,
    batchSize: 4,
    reportImages: 0,
    onNotice: (message) => notices.push(message),
  };
}

const lock = (owner: object) => JSON.stringify({ startedAt: '2026-01-01T00:00:00.000Z', ...owner });

describe('run folder lock', () => {
  it('refuses a second run on the same folder while the first trains, naming the folder, the pid and the lock file', async () => {
    const dir = join(work, 'twice');
    const first = run(dir);
    const second = run(dir);
    const results = await Promise.allSettled([trainRun(first), trainRun(second)]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const message = String((refused[0] as PromiseRejectedResult).reason);
    expect(message).toContain(`${dir} is in use by another training run (pid ${process.pid} on ${hostname()}`);
    expect(message).toContain(`delete ${join(dir, 'run.lock')}`);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false); // released when the run ended
    expect(existsSync(join(dir, 'model', 'model.json'))).toBe(true);
    first.model.dispose();
    second.model.dispose();
  });

  it('takes over the lock of a dead process on this host with a notice', async () => {
    const dir = join(work, 'stale');
    const pid = deadPid();
    await mkdir(dir);
    await writeFile(join(dir, 'run.lock'), lock({ pid, hostname: hostname() }));
    const notices: string[] = [];
    const options = run(dir, notices);
    await trainRun(options);
    expect(notices.join('\n')).toContain(`took over the lock of a training run that no longer runs (pid ${pid} on ${hostname()}`);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    options.model.dispose();
  });

  it("refuses a live process's lock and one from another host, and leaves the folder as it was", async () => {
    for (const owner of [{ pid: sleeper.pid, hostname: hostname() }, { pid: 1, hostname: 'elsewhere.example' }]) {
      const dir = join(work, `held-${owner.hostname}`);
      await mkdir(dir);
      await writeFile(join(dir, 'run.lock'), lock(owner));
      const options = run(dir);
      await expect(trainRun(options)).rejects.toThrow(`is in use by another training run (pid ${owner.pid} on ${owner.hostname}`);
      expect(await readdir(dir)).toEqual(['run.lock']);
      options.model.dispose();
    }
  });
});

describe('run folder debris and setup failures', () => {
  it("removes the temp files and checkpoint folders of a killed writer, never a live writer's", async () => {
    const dir = join(work, 'debris');
    const dead = deadPid();
    const stamp = Date.now().toString(36);
    const deadCheckpoint = join(dir, 'checkpoints', `.last.tmp-${dead}-${stamp}-abc123`);
    const legacyCheckpoint = join(dir, 'checkpoints', `best.tmp-${dead}-${stamp}-abc123`); // 0.1's naming
    const deadFile = join(dir, `.metrics.jsonl.tmp-${dead}-${stamp}-abc123`);
    const liveFile = join(dir, `.metrics.jsonl.tmp-${sleeper.pid}-${stamp}-abc123`);
    for (const folder of [deadCheckpoint, legacyCheckpoint]) {
      await mkdir(join(folder, 'model'), { recursive: true });
      await writeFile(join(folder, 'optimizer.bin'), new Uint8Array(1024));
    }
    await writeFile(deadFile, 'partial');
    await writeFile(liveFile, 'in progress');
    const notices: string[] = [];
    const options = run(dir, notices);
    await trainRun(options);
    expect(existsSync(deadCheckpoint)).toBe(false);
    expect(existsSync(legacyCheckpoint)).toBe(false);
    expect(existsSync(deadFile)).toBe(false);
    expect(await readFile(liveFile, 'utf8')).toBe('in progress');
    expect(notices.join('\n')).toMatch(/removed 3 unfinished write\(s\) of a killed run/);
    options.model.dispose();
  });

  it('leaves no run folder behind when the run fails at setup', async () => {
    const parent = join(work, 'unstarted', 'runs');
    const options = run(join(parent, 'r1'), [], 4); // the model has 4 classes, the data 3
    await expect(trainRun(options)).rejects.toThrow(/outputs 4 classes but the training data has 3/);
    expect(existsSync(join(work, 'unstarted'))).toBe(false); // the parents it created go too
    await mkdir(join(parent, 'other'), { recursive: true });
    await expect(trainRun(options)).rejects.toThrow(/outputs 4 classes/);
    expect(await readdir(join(work, 'unstarted'))).toEqual(['runs']); // not a parent another run uses
    expect(await readdir(parent)).toEqual(['other']);
    const existing = join(work, 'existing');
    await mkdir(existing);
    await writeFile(join(existing, 'notes.txt'), 'mine');
    await expect(trainRun({ ...options, runDir: existing })).rejects.toThrow(/outputs 4 classes/);
    expect(await readdir(existing)).toEqual(['notes.txt']);
    options.model.dispose();
  });

  it('says which run folder cannot be created and why', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    const options = run(join(file, 'run'));
    await expect(trainRun(options)).rejects.toThrow(`${join(file, 'run')}: cannot create the run folder (a file is in the way`);
    options.model.dispose();
  });
});
