import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Packages known to be native whatever their manifest says (their binaries come from a download or
 * from platform packages): a consumer that did not ask for them must not get them.
 */
export const KNOWN_NATIVE = ['sharp', 'onnxruntime-node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

/**
 * Why an installed package counts as native, or null: a known native package, a node-gyp build
 * (`gypfile`, `binding.gyp`, which also covers prebuild-install addons), or a manifest limited to
 * some CPUs (the prebuilt-binary packages such as `@img/sharp-linux-x64`). Install scripts alone do
 * not count: core-js, which tfjs depends on, has one that prints a message.
 */
export function nativeReason(manifest, { hasBindingGyp = false } = {}) {
  if (KNOWN_NATIVE.includes(manifest.name)) return 'native package';
  if (manifest.gypfile || hasBindingGyp) return 'node-gyp build';
  if (Array.isArray(manifest.cpu) && manifest.cpu.length > 0) return `prebuilt binary for ${manifest.cpu.join(', ')}`;
  return null;
}

/** Every package installed under `dir/node_modules`, nested ones included: `{ name, path, manifest, why }` (why: see nativeReason). */
export async function installedPackages(dir) {
  const found = [];
  const visit = async (modules) => {
    const entries = await readdir(modules, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
      const path = join(modules, entry.name);
      if (entry.name.startsWith('@')) {
        await visit(path);
        continue;
      }
      const manifest = await readFile(join(path, 'package.json'), 'utf8').then(JSON.parse, () => null);
      if (manifest?.name) {
        const why = nativeReason(manifest, { hasBindingGyp: existsSync(join(path, 'binding.gyp')) });
        found.push({ name: manifest.name, path, manifest, why });
      }
      await visit(join(path, 'node_modules'));
    }
  };
  await visit(join(dir, 'node_modules'));
  return found;
}

/**
 * The native packages a consumer of `manifest` got without asking: every installed native package
 * except those the package itself declares as a dependency or optional dependency (the CLI's sharp
 * and onnxruntime-node) and what those bring with them (sharp's `@img/*` binaries). Each is
 * `{ name, why, path }`, the path relative to `dir`.
 */
export async function unexpectedNativePackages(dir, manifest) {
  const installed = await installedPackages(dir);
  const byName = new Map();
  for (const pkg of installed) if (!byName.has(pkg.name)) byName.set(pkg.name, pkg);
  const asked = new Set();
  const ask = (name) => {
    if (asked.has(name)) return;
    asked.add(name);
    const pkg = byName.get(name);
    for (const dependency of Object.keys({ ...pkg?.manifest.dependencies, ...pkg?.manifest.optionalDependencies })) ask(dependency);
  };
  const declared = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies });
  for (const name of declared) {
    const pkg = byName.get(name);
    if (pkg?.why) ask(name);
  }
  return installed
    .filter((pkg) => pkg.why !== null && !asked.has(pkg.name))
    .map((pkg) => ({ name: pkg.name, why: pkg.why, path: relative(dir, pkg.path) }));
}
