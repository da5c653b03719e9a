import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { releaseTest } from '../src/release-test.mjs';
import { scratchWorkspace } from './scratch-workspace';

// Each case runs the whole release test on a scratch workspace with one deliberately broken
// package next to a good one, and expects a failure that names the broken package only.
const GOOD = { name: 'good', source: 'export function double(x: number): number {\n  return 2 * x;\n}\n' };
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function failureOf(packages: Parameters<typeof scratchWorkspace>[0]): Promise<Error> {
  const root = await scratchWorkspace(packages);
  roots.push(root);
  const lines: string[] = [];
  const error = await releaseTest({ root, concurrency: 2, log: (line: string) => lines.push(line) }).then(
    () => new Error(`the release test passed:\n${lines.join('\n')}`),
    (failure: Error) => failure,
  );
  return error;
}

describe('release test bad paths', () => {
  it('fails, naming the package, when a package does not build', async () => {
    const error = await failureOf([GOOD, { name: 'broken-build', source: "export const answer: number = 'forty-two';\n" }]);
    expect(error.message).toMatch(/^build failed for @resnet-ts\/broken-build:/);
    expect(error.message).not.toMatch(/failed for @resnet-ts\/good/);
  });

  it('fails, naming the package, when its published types do not resolve for a consumer', async () => {
    // The public types use a module the package does not depend on: it builds, and a consumer
    // that installs it alone cannot resolve its .d.ts.
    const error = await failureOf([
      GOOD,
      {
        name: 'undeclared-types',
        source: "import type { Command } from 'commander';\n\nexport function commandName(command: Command): string {\n  return command.name();\n}\n",
        external: ['commander'],
      },
    ]);
    expect(error.message).toMatch(/^@resnet-ts\/undeclared-types: type-check of usage.ts and the README example \(tsc against the published types\) failed/);
    expect(error.message).toContain("Cannot find module 'commander'");
  });

  it('fails, naming the package, when an export points at a file the tarball lacks', async () => {
    const error = await failureOf([
      GOOD,
      {
        name: 'missing-types',
        source: 'export const one = 1;\n',
        manifest: { exports: { '.': { types: './dist/types/index.d.ts', import: './dist/index.js' } } },
      },
    ]);
    expect(error.message).toContain('@resnet-ts/missing-types: the tarball is wrong');
    expect(error.message).toContain('exports["."] points at ./dist/types/index.d.ts, which is not in the tarball');
    expect(error.message).not.toContain('@resnet-ts/good:');
  });
});
