import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unexpectedNativePackages } from './native-deps.mjs';
import { REGISTRY_TOKEN } from './verdaccio.mjs';
import { run, tail } from './proc.mjs';
import { readmeUsage, USAGE_OK, usageSource } from './usage.mjs';

/** Versions a consumer project installs next to our package (the ones the workspace is built with). */
export const CONSUMER_DEPENDENCIES = { '@tensorflow/tfjs': '4.22.0' };
export const CONSUMER_DEV_DEPENDENCIES = { '@types/node': '20.19.43' };

/** Thrown when a published package does not install, type-check or run alone; names the package. */
export class ConsumerError extends Error {
  constructor(name, step, detail) {
    super(`${name}: ${step} failed for a consumer that installed it alone\n${detail}`);
    this.packageName = name;
    this.step = step;
  }
}

/**
 * The `.npmrc` of every test folder: our scope goes to the loopback Verdaccio with a token, every
 * other package to the usual registry. Only keys npm knows: npm 11 warns about any other.
 */
export function scopedNpmrc(registry) {
  const host = registry.replace(/^https?:/, '');
  return [`@resnet-ts:registry=${registry}`, `${host}:_authToken=${REGISTRY_TOKEN}`, ''].join('\n');
}

/**
 * The environment of every install: onnxruntime-node's install script downloads its CUDA
 * providers on linux x64 unless told to skip, and nothing may download at install time.
 */
export const INSTALL_ENV = { ONNXRUNTIME_NODE_INSTALL: 'skip' };

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'DOM'],
    types: ['node'],
    strict: true,
    skipLibCheck: false,
    outDir: 'out',
  },
};

/**
 * Writes a fresh consumer project for one package: package.json, .npmrc, tsconfig, usage.ts and,
 * when the package's README has a ```ts usage block, readme.ts (type-checked against the published
 * types; it runs in the package's own readme test).
 */
export async function writeConsumer({ dir, manifest, version, registry, readme = '' }) {
  await mkdir(dir, { recursive: true });
  const consumer = {
    name: `consumer-${manifest.name.split('/').pop()}`,
    private: true,
    type: 'module',
    dependencies: { [manifest.name]: version, ...CONSUMER_DEPENDENCIES },
    devDependencies: CONSUMER_DEV_DEPENDENCIES,
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(consumer, null, 2)}\n`);
  await writeFile(join(dir, '.npmrc'), scopedNpmrc(registry));
  const readmeSource = readmeUsage(readme);
  const include = readmeSource === null ? ['usage.ts'] : ['usage.ts', 'readme.ts'];
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify({ ...TSCONFIG, include }, null, 2)}\n`);
  await writeFile(join(dir, 'usage.ts'), usageSource(manifest));
  if (readmeSource !== null) await writeFile(join(dir, 'readme.ts'), readmeSource);
}

/**
 * Installs the package alone and checks that the install holds no native package it did not ask
 * for, type-checks usage.ts against its published types with the workspace's TypeScript (5.9.3),
 * then runs the compiled ESM, which also require()s every entry. Each step failing throws a
 * ConsumerError naming the package and the step.
 */
export async function checkConsumer({ dir, manifest, tscPath }) {
  const { name } = manifest;
  const installSeconds = await installAlone({ dir, manifest });
  const { warnings } = await step(name, 'type-check of usage.ts and the README example (tsc against the published types)', () =>
    typeCheck({ dir, tscPath, optionalPeers: optionalPeerDependencies(manifest) }),
  );
  const output = await step(name, 'ESM import and one-line use', () => run(process.execPath, ['out/usage.js'], { cwd: dir, timeoutMs: 120_000 }));
  if (!output.includes(USAGE_OK)) throw new ConsumerError(name, 'ESM import and one-line use', tail(output, 30));
  const line = output.split('\n').find((text) => text.startsWith('{"tfjs"'));
  const report = line ? JSON.parse(line) : null;
  const requireFailures = report ? requireMismatches(report) : [];
  if (requireFailures.length > 0) throw new ConsumerError(name, 'require() of every entry from CommonJS', requireFailures.join('\n'));
  return { name, installSeconds, warnings, report };
}

/**
 * `npm install` in a consumer folder, then the native-package check: a consumer of a library gets
 * no native package at all (sharp, onnxruntime-node, tfjs-node are optional peers: the user adds
 * the ones they use), the CLI only those it depends on itself. Returns the install's seconds.
 */
export async function installAlone({ dir, manifest }) {
  const { name } = manifest;
  const started = Date.now();
  await step(name, 'npm install', () =>
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, env: INSTALL_ENV }),
  );
  const seconds = (Date.now() - started) / 1000;
  const unexpected = await unexpectedNativePackages(dir, manifest);
  if (unexpected.length > 0) {
    const list = unexpected.map((pkg) => `  ${pkg.path} (${pkg.why})`).join('\n');
    throw new ConsumerError(
      name,
      'install without native packages it did not ask for',
      `installing it alone also installed:\n${list}\nmake the package that pulls each one declare it as an optional peer dependency (peerDependenciesMeta) and load it when used`,
    );
  }
  return seconds;
}

/** Entries whose require() failed or gave other names than their ESM import, one line each. */
export function requireMismatches({ exportsPerEntry = {}, requiredPerEntry = {} }) {
  return Object.entries(exportsPerEntry)
    .filter(([specifier, count]) => requiredPerEntry[specifier] !== count)
    .map(([specifier, count]) => {
      const required = requiredPerEntry[specifier];
      return typeof required === 'number'
        ? `require('${specifier}') gave ${required} names, its ESM import ${count}`
        : `require('${specifier}') failed: ${required ?? 'not attempted'}`;
    });
}

/**
 * Runs tsc with full declaration checking and fails on any diagnostic outside tfjs's own
 * declarations: those have known errors under `strict` without `skipLibCheck` (e.g. the missing
 * `Long` type) that every tfjs user has, while an error in our `.d.ts` files, an unresolved import
 * in them or in usage.ts is exactly what this check is for. Emits out/usage.js either way.
 */
export async function typeCheck({ dir, tscPath, optionalPeers = [] }) {
  try {
    await run(process.execPath, [tscPath, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir });
    return { warnings: [] };
  } catch (error) {
    if (!error.output) throw error;
    const { errors, warnings } = classifyDiagnostics(error.output, optionalPeers);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return { warnings };
  }
}

/**
 * Splits tsc diagnostics (with their continuation lines) into errors and warnings. Ignored:
 * anything in @tensorflow's declarations. Warnings: "Cannot find module 'X'" where X is an
 * optional peer dependency, since whoever uses the entry that needs X installs it (onnxruntime-node
 * is 290 MB; a consumer that does not use it should not have to install it to compile).
 */
export function classifyDiagnostics(output, optionalPeers = []) {
  const diagnostics = [];
  for (const line of output.split('\n')) {
    if (/^\S.*error TS\d+/.test(line)) diagnostics.push([line]);
    else if (/^\s/.test(line) && diagnostics.length > 0) diagnostics.at(-1).push(line);
  }
  const errors = [];
  const warnings = [];
  for (const lines of diagnostics) {
    if (/^node_modules\/@tensorflow\//.test(lines[0])) continue;
    const missing = /error TS2307: Cannot find module '([^']+)'/.exec(lines[0])?.[1];
    const optional = missing && optionalPeers.some((peer) => missing === peer || missing.startsWith(`${peer}/`));
    (optional ? warnings : errors).push(lines.join('\n'));
  }
  return { errors, warnings };
}

/** Peer dependencies marked optional in a manifest. */
export function optionalPeerDependencies(manifest) {
  return Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta?.optional)
    .map(([name]) => name);
}

/** Runs one step of a consumer check; a failure becomes a ConsumerError naming the package and the step. */
export async function step(name, label, action) {
  try {
    return await action();
  } catch (error) {
    throw new ConsumerError(name, label, error.output ? tail(error.output, 40) : error.message);
  }
}
