import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { disposeCheckpoint, type CheckpointData } from '../src/checkpoint';
import { FolderCheckpointStore } from '../src/node/checkpoint-folder';
import { train } from '../src/train';
import { randomDataset } from './helpers/datasets';
import { tinyConvNet } from './helpers/models';

/**
 * Crash injection: the n-th rename/rm of a checkpoint save "kills the process": it and every later
 * file-system change fail, so no cleanup runs, as after SIGKILL or a power cut. `open` is watched
 * to see which files are fsynced.
 */
const faults = vi.hoisted(() => ({ failAt: 0, calls: 0, dead: false, events: [] as Array<{ op: string; path: string; to?: string }> }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const mutating = <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      faults.calls += 1;
      if (faults.dead || faults.calls === faults.failAt) {
        faults.dead = true;
        throw new Error(`injected crash at ${op} ${String(args[0])}`);
      }
      const result = await fn(...args);
      faults.events.push({ op, path: String(args[0]), ...(op === 'rename' ? { to: String(args[1]) } : {}) });
      return result;
    };
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    for (const method of ['sync', 'datasync'] as const) {
      const flush = handle[method].bind(handle);
      handle[method] = async () => {
        await flush();
        faults.events.push({ op: 'sync', path: String(args[0]) });
      };
    }
    return handle;
  };
  return { ...real, default: real, open, rename: mutating('rename', real.rename), rm: mutating('rm', real.rm) };
});

let work: string;
let checkpoint: CheckpointData;

beforeAll(async () => {
  await tf.setBackend('cpu');
  work = await mkdtemp(join(tmpdir(), 'trainer-crash-'));
  const dir = join(work, 'source');
  const model = tinyConvNet(8, 3, 3);
  await train({ model, train: randomDataset(8, 3, 8, 1), epochs: 1, batchSize: 4, store: new FolderCheckpointStore(dir) });
  model.dispose();
  checkpoint = (await new FolderCheckpointStore(dir).load('last'))!;
});
afterAll(async () => {
  disposeCheckpoint(checkpoint);
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => Object.assign(faults, { failAt: 0, calls: 0, dead: false, events: [] }));

const withStep = (step: number): CheckpointData => ({ ...checkpoint, state: { ...checkpoint.state, step } });

async function savedStep(store: FolderCheckpointStore): Promise<number | undefined> {
  const loaded = await store.load('last');
  if (!loaded) return undefined;
  disposeCheckpoint(loaded);
  return loaded.state.step;
}

/** Saves step 2 over a folder holding step 1, crashing at each file-system change in turn. */
async function crashAtEveryStep(name: string, prepare: (store: FolderCheckpointStore) => Promise<void>): Promise<Array<number | undefined>> {
  const seen: Array<number | undefined> = [];
  for (let failAt = 1; ; failAt++) {
    const store = new FolderCheckpointStore(join(work, `${name}-${failAt}`));
    await store.save('last', withStep(1));
    await prepare(store);
    Object.assign(faults, { failAt, calls: 0, dead: false });
    const completed = await store.save('last', withStep(2)).then(() => true, () => false);
    faults.failAt = 0;
    faults.dead = false;
    seen.push(await savedStep(store));
    if (completed) return seen;
  }
}

describe('checkpoint folders under crashes', () => {
  it('keeps a readable checkpoint (old or new) whichever step of a save is interrupted', async () => {
    const seen = await crashAtEveryStep('both', async () => undefined);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((step) => step === 1 || step === 2)).toBe(true);
    expect(seen.at(-1)).toBe(2);
  });

  it('keeps the `.old` copy a crash left until the new checkpoint is in place', async () => {
    // A crash between the two renames of a save: only `last.old` holds the checkpoint.
    const seen = await crashAtEveryStep('old-only', async (store) => rename(store.folder('last'), `${store.folder('last')}.old`));
    expect(seen.every((step) => step === 1 || step === 2)).toBe(true);
    expect(seen.at(-1)).toBe(2);
  });

  it('fsyncs every file of a checkpoint before renaming it into place, and the parent folder after', async () => {
    const store = new FolderCheckpointStore(join(work, 'sync'));
    await store.save('last', withStep(1));
    faults.events = [];
    await store.save('last', withStep(2));
    const swap = faults.events.findIndex((e) => e.op === 'rename' && e.to === store.folder('last'));
    expect(swap).toBeGreaterThan(0);
    const temp = faults.events[swap]!.path;
    const syncedBefore = new Set(faults.events.slice(0, swap).filter((e) => e.op === 'sync').map((e) => relative(temp, e.path)));
    const files = (await readdir(store.folder('last'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) expect(syncedBefore, file.name).toContain(relative(store.folder('last'), join(file.parentPath, file.name)));
    expect(faults.events.slice(swap).some((e) => e.op === 'sync' && e.path === join(work, 'sync', 'checkpoints'))).toBe(true);
  });
});
