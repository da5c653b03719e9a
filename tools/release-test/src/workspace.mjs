import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * The publishable packages of an npm workspace, dependencies before dependents.
 * Workspace globs are the `dir/*` form this repository uses; private packages are left out.
 */
export async function publicPackages(root) {
  const rootManifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const found = [];
  for (const pattern of rootManifest.workspaces ?? []) {
    if (!pattern.endsWith('/*')) throw new Error(`${root}/package.json: workspace glob "${pattern}" is not of the form dir/*`);
    const parent = join(root, pattern.slice(0, -2));
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = join(parent, entry.name);
      const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(JSON.parse, () => null);
      if (manifest && !manifest.private) found.push({ name: manifest.name, dir, relDir: relative(root, dir), manifest });
    }
  }
  return topologicalOrder(found);
}

/** Orders packages so each comes after the workspace packages it depends on. */
export function topologicalOrder(packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const ordered = [];
  const state = new Map();
  const visit = (pkg, path) => {
    if (state.get(pkg.name) === 'done') return;
    if (state.get(pkg.name) === 'visiting') throw new Error(`dependency cycle: ${[...path, pkg.name].join(' -> ')}`);
    state.set(pkg.name, 'visiting');
    for (const dep of Object.keys(internalDependencies(pkg.manifest))) {
      if (byName.has(dep)) visit(byName.get(dep), [...path, pkg.name]);
    }
    state.set(pkg.name, 'done');
    ordered.push(pkg);
  };
  for (const pkg of [...packages].sort((a, b) => a.name.localeCompare(b.name))) visit(pkg, []);
  return ordered;
}

function internalDependencies(manifest) {
  return { ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies };
}
