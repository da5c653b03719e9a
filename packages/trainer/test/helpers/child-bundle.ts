import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles a child-process script of `test/fixtures` (TypeScript, workspace sources) into one ESM
 * file next to node_modules, so a real `node` process can run it. Returns its path.
 */
export async function bundleChild(fixture: string): Promise<string> {
  const outfile = join(testDir, '..', 'test-output', `${fixture.replace(/\.ts$/, '')}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(testDir, 'fixtures', fixture)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    conditions: ['@resnet-ts/source'],
    external: ['@tensorflow/*'],
    logLevel: 'silent',
  });
  return outfile;
}
