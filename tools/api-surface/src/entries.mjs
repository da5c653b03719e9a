import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The export condition under which every workspace entry points at its TypeScript source. */
export const SOURCE_CONDITION = '@resnet-ts/source';

/**
 * A package's API entries: each `exports` key (`.`, `./node`, `./browser`) whose target has a
 * source condition, with the absolute path of that source file. Returns null for a folder
 * without a package.json, and an empty list for a package without such entries (apps, tools).
 */
export function readPackage(dir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return null;
  }
  const entries = Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target !== null && typeof target[SOURCE_CONDITION] === 'string')
    .map(([entry, target]) => ({ entry, file: resolve(dir, target[SOURCE_CONDITION]) }));
  return { name: manifest.name, dir: resolve(dir), entries };
}

/** Every workspace package (globs of the form `dir/*`, as this repository uses) that has API entries. */
export function workspacePackages(root) {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const packages = [];
  for (const pattern of workspaces) {
    if (!pattern.endsWith('/*')) throw new Error(`${join(root, 'package.json')}: workspace glob "${pattern}" is not of the form dir/*`);
    const parent = join(root, pattern.slice(0, -2));
    for (const name of readdirSync(parent).sort()) {
      const pkg = readPackage(join(parent, name));
      if (pkg && pkg.entries.length > 0) packages.push(pkg);
    }
  }
  return packages;
}
