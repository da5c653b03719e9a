import { binEntries, exportProblems } from './manifest.mjs';

/**
 * Files a tarball may hold: the manifest, docs, the license and the build output, plus the source
 * and build script of a binary the build embeds (hand-written WebAssembly text in `wasm/`, built
 * by `scripts/build-*.mjs`), which ship so that no binary goes out without them.
 */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICEN[CS]E(\.\w+)?$/i,
  /^dist\//,
  /^wasm\/[\w-]+\.wat$/,
  /^scripts\/build-[\w-]+\.mjs$/,
];

/** What must never ship, even under dist/: sources, tests, fixtures, configs, build leftovers. */
const FORBIDDEN = [
  [/(^|\/)(src|test|tests|__tests__|fixtures?|__fixtures__|test-output|coverage|node_modules)\//, 'test, fixture or source folder'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'test file'],
  [/(?<!\.d)\.[cm]?tsx?$/, 'TypeScript source'],
  [/(^|\/)(tsconfig[^/]*\.json|tsup\.config\.\w+|vitest\.config\.\w+|eslint\.config\.\w+|\.npmrc|\.env[^/]*)$/, 'tool config'],
  [/\.(tsbuildinfo|log|tgz|h5|jpe?g|png)$/, 'build leftover or data file'],
];

/**
 * Audits one `npm pack --dry-run --json` result against its publish manifest: every file is
 * allowed and none is forbidden, the README is there, and exports/main/types/bin point at shipped
 * files with `types` first. Returns the problems (empty when clean) and the sizes to report.
 */
export function auditPack(pack, manifest) {
  const paths = pack.files.map((file) => file.path);
  const bins = new Set(Object.values(binEntries(manifest)).map((target) => target.replace(/^\.\//, '')));
  const problems = [];
  for (const path of paths) {
    const forbidden = FORBIDDEN.find(([pattern]) => pattern.test(path));
    if (forbidden) problems.push(`${path}: ${forbidden[1]} must not be published`);
    else if (!bins.has(path) && !ALLOWED.some((pattern) => pattern.test(path))) {
      problems.push(`${path}: stray file (not dist/, a bin, README, CHANGELOG, LICENSE or a wasm/*.wat source with its scripts/build-*.mjs)`);
    }
  }
  if (!paths.includes('README.md')) problems.push('README.md is missing');
  problems.push(...exportProblems(manifest, paths));
  return {
    problems,
    packedBytes: pack.size,
    unpackedBytes: pack.unpackedSize,
    fileCount: pack.entryCount ?? paths.length,
    files: paths,
  };
}

/** `12.3 kB` style sizes for the report. */
export function formatBytes(bytes) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 ** 2).toFixed(2)} MB`;
}
