import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failedProjects } from '../src/build.mjs';
import { classifyDiagnostics, optionalPeerDependencies, requireMismatches, scopedNpmrc } from '../src/consumers.mjs';
import { nativeReason, unexpectedNativePackages } from '../src/native-deps.mjs';
import { exportProblems, publishManifest, SOURCE_CONDITION } from '../src/manifest.mjs';
import { auditPack } from '../src/pack-audit.mjs';
import { readmeUsage, usageSource } from '../src/usage.mjs';
import { topologicalOrder } from '../src/workspace.mjs';

const workspaceManifest = {
  name: '@resnet-ts/zoo',
  version: '0.1.0',
  exports: {
    '.': { [SOURCE_CONDITION]: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
    './node': { [SOURCE_CONDITION]: './src/node/index.ts', types: './dist/node.d.ts', import: './dist/node.js', default: './dist/node.js' },
    './package.json': './package.json',
  },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  nx: { tags: ['layer:zoo'] },
  scripts: { build: 'tsup', prepublishOnly: 'node ../../tools/release-test/src/refuse-direct-publish.mjs' },
};
const shipped = ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/node.d.ts'];

describe('publish manifest', () => {
  it('drops the source condition from every entry, leaving types first, the Nx settings and the scripts', () => {
    const published = publishManifest(workspaceManifest);
    expect(published.scripts).toBeUndefined();
    expect(published.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' });
    expect(Object.keys(published.exports['./node'])[0]).toBe('types');
    expect(published.nx).toBeUndefined();
    expect(exportProblems(published, shipped)).toEqual([]);
  });

  it('names an entry that import resolves and require() cannot, or whose default is not last', () => {
    const problems = exportProblems(
      {
        name: 'x',
        exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './node': { types: './dist/node.d.ts', default: './dist/node.js', import: './dist/node.js' } },
      },
      shipped,
    );
    expect(problems).toEqual([
      'exports["."] has "import" but no "default" condition: require() of it fails (add "default" with the same file)',
      'exports["./node"]: "default" must be the last condition, found types, default, import',
    ]);
  });

  it('leaves the workspace manifest untouched', () => {
    publishManifest(workspaceManifest);
    expect(workspaceManifest.exports['.'][SOURCE_CONDITION]).toBe('./src/index.ts');
  });

  it('names export entries that keep the source condition, put types late or point at unshipped files', () => {
    const problems = exportProblems(
      { name: 'x', exports: { '.': { import: './dist/index.js', types: './dist/index.d.ts', default: './dist/index.js' }, './node': { [SOURCE_CONDITION]: './src/node/index.ts', types: './dist/gone.d.ts' } }, bin: { x: './bin/x.js' } },
      shipped,
    );
    expect(problems).toEqual([
      'exports["."]: "types" must be the first condition, found import, types, default',
      'exports["./node"] still has the @resnet-ts/source condition',
      'exports["./node"]: "types" must be the first condition, found @resnet-ts/source, types',
      'exports["./node"] points at ./src/node/index.ts, which is not in the tarball',
      'exports["./node"] points at ./dist/gone.d.ts, which is not in the tarball',
      'bin "x" points at ./bin/x.js, which is not in the tarball',
    ]);
  });
});

describe('pack audit', () => {
  const pack = (paths: string[]) => ({ size: 10, unpackedSize: 20, entryCount: paths.length, files: paths.map((path) => ({ path, size: 1 })) });
  const manifest = { ...publishManifest(workspaceManifest), bin: { resnet: './bin/resnet.js' } };

  it('accepts dist, README, CHANGELOG, LICENSE, the manifest and bin files, and reports sizes', () => {
    const audit = auditPack(pack([...shipped, 'CHANGELOG.md', 'LICENSE', 'dist/index.js.map', 'bin/resnet.js', 'wasm/simd-kernels.wat', 'scripts/build-simd-module.mjs']), manifest);
    expect(audit.problems).toEqual([]);
    expect(audit).toMatchObject({ packedBytes: 10, unpackedBytes: 20, fileCount: 12 });
  });

  it('names sources, tests, fixtures, configs and stray files', () => {
    const audit = auditPack(
      pack([...shipped, 'src/index.ts', 'dist/test/a.test.js', 'test/fixtures/a.h5', 'tsconfig.json', 'notes.txt', 'scripts/publish.mjs', 'dist/model.ts']),
      manifest,
    );
    expect(audit.problems).toEqual([
      'src/index.ts: test, fixture or source folder must not be published',
      'dist/test/a.test.js: test, fixture or source folder must not be published',
      'test/fixtures/a.h5: test, fixture or source folder must not be published',
      'tsconfig.json: tool config must not be published',
      'notes.txt: stray file (not dist/, a bin, README, CHANGELOG, LICENSE or a wasm/*.wat source with its scripts/build-*.mjs)',
      'scripts/publish.mjs: stray file (not dist/, a bin, README, CHANGELOG, LICENSE or a wasm/*.wat source with its scripts/build-*.mjs)',
      'dist/model.ts: TypeScript source must not be published',
      'bin "resnet" points at ./bin/resnet.js, which is not in the tarball',
    ]);
  });

  it('requires a README', () => {
    expect(auditPack(pack(shipped.filter((path) => path !== 'README.md')), manifest).problems).toContain('README.md is missing');
  });
});

describe('consumer diagnostics', () => {
  const output = [
    "node_modules/@tensorflow/tfjs-core/dist/hash_util.d.ts(2,49): error TS2304: Cannot find name 'Long'.",
    "node_modules/@resnet-ts/onnx/dist/node.d.ts(2,22): error TS2307: Cannot find module 'onnxruntime-node' or its corresponding type declarations.",
    "node_modules/@resnet-ts/zoo/dist/index.d.ts(3,10): error TS2307: Cannot find module '@resnet-ts/blocks' or its corresponding type declarations.",
    "usage.ts(4,7): error TS2322: Type 'number' is not assignable to type 'string'.",
    '  Some continuation line.',
  ].join('\n');

  it('ignores tfjs declarations, warns for optional peers and fails on everything else', () => {
    const { errors, warnings } = classifyDiagnostics(output, ['onnxruntime-node']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("'onnxruntime-node'");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("'@resnet-ts/blocks'");
    expect(errors[1]).toContain('Some continuation line.');
  });

  it('treats a missing optional peer as an error when it is not declared optional', () => {
    expect(classifyDiagnostics(output, []).errors).toHaveLength(3);
  });

  it('reads optional peers from peerDependenciesMeta', () => {
    const manifest = { peerDependenciesMeta: { 'onnxruntime-node': { optional: true }, other: {} } };
    expect(optionalPeerDependencies(manifest)).toEqual(['onnxruntime-node']);
  });
});

describe('README usage', () => {
  it('is the first ```ts block', () => {
    expect(readmeUsage('# x\n\n```sh\nnpm i x\n```\n\n```ts\nconst a = 1;\n```\n\n```ts\nconst b = 2;\n```\n')).toBe('const a = 1;\n');
    expect(readmeUsage('# x\n')).toBeNull();
  });
});

describe('consumer usage file', () => {
  it('imports every entry (browser type-only) and runs the one-line use', () => {
    const source = usageSource(publishManifest({ ...workspaceManifest, exports: { ...workspaceManifest.exports, './browser': { types: './dist/browser.d.ts' } } }));
    expect(source).toContain("import * as entry0 from '@resnet-ts/zoo';");
    expect(source).toContain("import * as entry1 from '@resnet-ts/zoo/node';");
    expect(source).toContain("import type * as entry2 from '@resnet-ts/zoo/browser';");
    expect(source).toContain("const result: unknown = createModel('resnet18'");
    expect(source).toContain('for (const specifier of ["@resnet-ts/zoo","@resnet-ts/zoo/node"])');
    expect(source).toContain('requireFromCommonJs(specifier)');
  });

  it('fails an entry that require() cannot load or that gives other names than its import', () => {
    const report = {
      exportsPerEntry: { '@resnet-ts/zoo': 47, '@resnet-ts/zoo/node': 4, '@resnet-ts/data': 3 },
      requiredPerEntry: { '@resnet-ts/zoo': 47, '@resnet-ts/zoo/node': "No \"exports\" main defined in /x/node_modules/@resnet-ts/zoo/package.json", '@resnet-ts/data': 2 },
    };
    expect(requireMismatches(report)).toEqual([
      'require(\'@resnet-ts/zoo/node\') failed: No "exports" main defined in /x/node_modules/@resnet-ts/zoo/package.json',
      "require('@resnet-ts/data') gave 2 names, its ESM import 3",
    ]);
    expect(requireMismatches({ exportsPerEntry: { a: 1 }, requiredPerEntry: { a: 1 } })).toEqual([]);
  });
});

describe('workspace order and build failures', () => {
  it('puts dependencies before dependents', () => {
    const pkg = (name: string, dependencies: Record<string, string> = {}) => ({ name, manifest: { name, dependencies } });
    const ordered = topologicalOrder([pkg('c', { b: '^1' }), pkg('a'), pkg('b', { a: '^1' })]);
    expect(ordered.map((p: { name: string }) => p.name)).toEqual(['a', 'b', 'c']);
  });

  it('reads the failed projects from Nx output', () => {
    const output = 'noise\n NX   Ran target build for 3 projects\n\nFailed tasks:\n\n- @resnet-ts/broken:build\n- @resnet-ts/other:build\n';
    expect(failedProjects(output)).toEqual(['@resnet-ts/broken', '@resnet-ts/other']);
    expect(failedProjects('all good')).toEqual([]);
  });
});

describe('npm configuration', () => {
  // npm 11 prints "Unknown project config" for every key it does not know, on every npm and npx.
  const npmWarnings = (cwd: string) => {
    const result = spawnSync('npm', ['config', 'get', 'registry'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return result.stderr.split('\n').filter((line) => /warn/i.test(line));
  };

  it('reads the repository root without a warning', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    expect(npmWarnings(root)).toEqual([]);
  });

  it("reads a test folder's .npmrc without a warning", () => {
    const dir = mkdtempSync(join(tmpdir(), 'resnet-npmrc-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{ "name": "npmrc-check", "private": true }\n');
      writeFileSync(join(dir, '.npmrc'), scopedNpmrc('http://127.0.0.1:4873/'));
      expect(npmWarnings(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('native packages in a consumer install', () => {
  const tree = (packages: Record<string, object>) => {
    const dir = mkdtempSync(join(tmpdir(), 'resnet-natives-'));
    for (const [path, manifest] of Object.entries(packages)) {
      mkdirSync(join(dir, path), { recursive: true });
      writeFileSync(join(dir, path, 'package.json'), JSON.stringify(manifest));
    }
    return dir;
  };

  it('tells native packages by name, node-gyp build or CPU-specific binaries, not by an install script', () => {
    expect(nativeReason({ name: 'sharp' })).toBe('native package');
    expect(nativeReason({ name: '@tensorflow/tfjs-node', scripts: { install: 'node scripts/install.js' } })).toBe('native package');
    expect(nativeReason({ name: 'addon', gypfile: true })).toBe('node-gyp build');
    expect(nativeReason({ name: 'addon' }, { hasBindingGyp: true })).toBe('node-gyp build');
    expect(nativeReason({ name: '@img/sharp-linux-x64', os: ['linux'], cpu: ['x64'] })).toBe('prebuilt binary for x64');
    expect(nativeReason({ name: 'core-js', scripts: { postinstall: 'node -e "try{require(\'./postinstall\')}catch(e){}"' } })).toBeNull();
  });

  it('names what a library consumer got without asking, nested ones included', async () => {
    const dir = tree({
      'node_modules/@resnet-ts/trainer': { name: '@resnet-ts/trainer', dependencies: { '@resnet-ts/data': '^0.1.0' } },
      'node_modules/@resnet-ts/data': { name: '@resnet-ts/data', dependencies: { sharp: '^0.34.0' } },
      'node_modules/sharp': { name: 'sharp', optionalDependencies: { '@img/sharp-linux-x64': '0.34.5' } },
      'node_modules/@img/sharp-linux-x64': { name: '@img/sharp-linux-x64', cpu: ['x64'] },
      'node_modules/@resnet-ts/data/node_modules/onnxruntime-node': { name: 'onnxruntime-node' },
      'node_modules/zod': { name: 'zod' },
    });
    try {
      const unexpected = await unexpectedNativePackages(dir, { name: '@resnet-ts/trainer', dependencies: { '@resnet-ts/data': '^0.1.0' } });
      expect(unexpected.map((pkg: { path: string; why: string }) => `${pkg.path}: ${pkg.why}`).sort()).toEqual([
        'node_modules/@img/sharp-linux-x64: prebuilt binary for x64',
        'node_modules/@resnet-ts/data/node_modules/onnxruntime-node: native package',
        'node_modules/sharp: native package',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("accepts the native packages a package depends on itself, with theirs, and nothing else", async () => {
    const dir = tree({
      'node_modules/sharp': { name: 'sharp', optionalDependencies: { '@img/sharp-linux-x64': '0.34.5' } },
      'node_modules/@img/sharp-linux-x64': { name: '@img/sharp-linux-x64', cpu: ['x64'] },
      'node_modules/@tensorflow/tfjs-node': { name: '@tensorflow/tfjs-node' },
    });
    try {
      const unexpected = await unexpectedNativePackages(dir, { name: '@resnet-ts/cli', dependencies: { sharp: '^0.34.0' } });
      expect(unexpected).toEqual([{ name: '@tensorflow/tfjs-node', why: 'native package', path: join('node_modules', '@tensorflow', 'tfjs-node') }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
