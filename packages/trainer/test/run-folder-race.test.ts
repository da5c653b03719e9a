import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Another process takes the lock and writes its run.json right after this one creates the folder.
let racer: { dir: string; pid: number } | undefined;
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const mkdir = async (...args: Parameters<typeof actual.mkdir>) => {
    const created = await actual.mkdir(...args);
    if (racer && String(args[0]) === racer.dir) {
      await actual.writeFile(join(racer.dir, 'run.lock'), JSON.stringify({ pid: racer.pid, hostname: hostname(), startedAt: new Date().toISOString() }));
      await actual.writeFile(join(racer.dir, 'run.json'), '{}');
    }
    return created;
  };
  return { ...actual, mkdir, default: { ...actual, mkdir } };
});

const { openRunFolder } = await import('../src/node/run-folder');

let work: string;
let sleeper: ChildProcess;
beforeAll(async () => {
  work = await fsp.mkdtemp(join(tmpdir(), 'trainer-run-folder-race-'));
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
});
afterAll(async () => {
  sleeper.kill('SIGKILL');
  await fsp.rm(work, { recursive: true, force: true });
});

describe('run folder lock, racing another process', () => {
  it('refused after creating the folder the winner then locked, it leaves the winner its files', async () => {
    const dir = join(work, 'raced');
    racer = { dir, pid: sleeper.pid! };
    await expect(openRunFolder(dir, { create: true, onNotice: () => {} })).rejects.toThrow(`${dir} is in use by another training run (pid ${sleeper.pid}`);
    expect(existsSync(join(dir, 'run.json'))).toBe(true);
    expect(existsSync(join(dir, 'run.lock'))).toBe(true);
  });
});
