#!/usr/bin/env node
// API snapshots. `check` (in a package's lint, or for every package from the root) fails when an
// entry point's exports differ from the committed packages/<name>/api/exports.txt; `update`
// rewrites the snapshots. Usage: node main.mjs check|update [package folder...] (default: the
// current folder when it is a package with entries, else every workspace package).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPackage, workspacePackages } from './entries.mjs';
import { listExports } from './exports.mjs';
import { formatSnapshot, SNAPSHOT_FILE, snapshotDrift } from './snapshot.mjs';

const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `check` or `update`; returns the process exit code. */
export function main(args, { root = WORKSPACE_ROOT, cwd = process.cwd(), log = console.log, error = console.error } = {}) {
  const [command, ...dirs] = args;
  if (command !== 'check' && command !== 'update') {
    error('usage: main.mjs check|update [package folder...]');
    return 2;
  }
  const packages = listExports(selectPackages(dirs, root, cwd));
  if (command === 'update') {
    for (const pkg of packages) writeSnapshot(pkg);
    log(`api: wrote ${packages.map((pkg) => `${pkg.name} (${pkg.exports.length})`).join(', ')}`);
    return 0;
  }
  const drift = packages.flatMap((pkg) => snapshotDrift(pkg, readSnapshot(pkg)));
  for (const message of drift) error(message);
  return drift.length > 0 ? 1 : 0;
}

function selectPackages(dirs, root, cwd) {
  if (dirs.length > 0) {
    return dirs.map((dir) => {
      const pkg = readPackage(resolve(cwd, dir));
      if (!pkg || pkg.entries.length === 0) throw new Error(`${resolve(cwd, dir)}: not a package with source entries in its exports`);
      return pkg;
    });
  }
  const here = readPackage(cwd);
  return here && here.entries.length > 0 ? [here] : workspacePackages(root);
}

function readSnapshot(pkg) {
  const file = join(pkg.dir, SNAPSHOT_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

function writeSnapshot(pkg) {
  const file = join(pkg.dir, SNAPSHOT_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatSnapshot(pkg));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
