import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.mjs';

let root: string;

/** A scratch workspace: packages/<name> with `.` and `./node` source entries and the given files. */
function writePackage(name: string, files: Record<string, string>): string {
  const dir = join(root, 'packages', name);
  const entry = (source: string) => ({ '@resnet-ts/source': source, types: './dist/x.d.ts', import: './dist/x.js' });
  const exports = { '.': entry('./src/index.ts'), './node': entry('./src/node/index.ts'), './package.json': './package.json' };
  writeFile(join(dir, 'package.json'), JSON.stringify({ name: `@scratch/${name}`, exports }));
  for (const [path, text] of Object.entries(files)) writeFile(join(dir, path), text);
  return dir;
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Runs the tool as the lint target or `npm run api:update` would, returning the exit code and stderr lines. */
function run(command: 'check' | 'update', cwd: string): { code: number; errors: string[] } {
  const errors: string[] = [];
  const code = main([command], { root, cwd, log: () => {}, error: (line: string) => errors.push(line) });
  return { code, errors };
}

const TRAINER = {
  'src/png.ts': 'export function encodePng() {}\nexport function crc32() {}\n',
  'src/config.ts': "export interface TrainConfig { epochs: number }\nexport type Mode = 'min' | 'max';\nexport const DEFAULTS = { epochs: 1 };\nexport enum Level { Low }\nexport class Store {}\n",
  'src/index.ts': "export { encodePng } from './png';\nexport { DEFAULTS, Level, Store, type TrainConfig, type Mode } from './config';\nexport { Tensor } from '@tensorflow/tfjs';\n",
  'src/node/index.ts': "export * from '../png';\nexport type { Store as StoreType } from '../config';\n",
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'api-surface-'));
  writeFile(join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*'] }));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('api snapshots', () => {
  it('writes one sorted "entry kind name" line per export of every entry', () => {
    const dir = writePackage('trainer', TRAINER);
    expect(run('update', dir).code).toBe(0);
    expect(readFileSync(join(dir, 'api/exports.txt'), 'utf8')).toBe(
      [
        '. const DEFAULTS',
        '. enum Level',
        '. type Mode',
        '. class Store',
        '. external(@tensorflow/tfjs) Tensor',
        '. interface TrainConfig',
        '. function encodePng',
        './node type-only class StoreType',
        './node function crc32',
        './node function encodePng',
        '',
      ].join('\n'),
    );
  });

  it('passes on the snapshot it wrote', () => {
    const dir = writePackage('trainer', TRAINER);
    run('update', dir);
    expect(run('check', dir)).toEqual({ code: 0, errors: [] });
  });

  it('fails on an added export, naming the package, the export, its kind and entry, and the update command', () => {
    const dir = writePackage('trainer', TRAINER);
    run('update', dir);
    writeFile(join(dir, 'src/index.ts'), `${TRAINER['src/index.ts']}export { crc32 } from './png';\n`);
    expect(run('check', dir)).toEqual({
      code: 1,
      errors: ['@scratch/trainer: new export "crc32" (function) in "." — if intended, run npm run api:update'],
    });
  });

  it('fails on a removed export and on an export that changed kind', () => {
    const dir = writePackage('trainer', TRAINER);
    run('update', dir);
    writeFile(join(dir, 'src/node/index.ts'), "export * from '../png';\nexport { Store as StoreType } from '../config';\n");
    writeFile(join(dir, 'src/index.ts'), TRAINER['src/index.ts'].replace('DEFAULTS, ', ''));
    expect(run('check', dir).errors).toEqual([
      '@scratch/trainer: export "StoreType" in "./node" changed from type-only class to class — if intended, run npm run api:update',
      '@scratch/trainer: export "DEFAULTS" (const) in "." was removed — if intended, run npm run api:update',
    ]);
  });

  it('fails when a package has no snapshot yet', () => {
    const dir = writePackage('trainer', TRAINER);
    expect(run('check', dir).errors).toEqual(['@scratch/trainer: no API snapshot api/exports.txt — run npm run api:update']);
  });

  it('updates every package from the workspace root, byte for byte the same each time', () => {
    const trainer = writePackage('trainer', TRAINER);
    const data = writePackage('data', { 'src/index.ts': 'export const b = 1;\nexport const a = 2;\n', 'src/node/index.ts': 'export {};\n' });
    expect(run('update', root).code).toBe(0);
    const first = [readFileSync(join(trainer, 'api/exports.txt'), 'utf8'), readFileSync(join(data, 'api/exports.txt'), 'utf8')];
    expect(first[1]).toBe('. const a\n. const b\n');
    run('update', root);
    expect([readFileSync(join(trainer, 'api/exports.txt'), 'utf8'), readFileSync(join(data, 'api/exports.txt'), 'utf8')]).toEqual(first);
    expect(run('check', root)).toEqual({ code: 0, errors: [] });
  });
});
