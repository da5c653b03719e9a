import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { expect, it, vi } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The first ```ts block of the README: the usage example users copy. */
function readmeUsage(): string {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`${packageDir}/README.md has no \`\`\`ts usage block`);
  return block[1];
}

it('runs the README usage example as written: batches of synthetic shapes, freed by the caller', async () => {
  const file = join(packageDir, 'test-output', 'readme-usage.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, readmeUsage());
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(pathToFileURL(file).href);
    expect(log.mock.calls).toEqual([
      [[8, 32, 32, 3], [8, 3]],
      [[4, 32, 32, 3], [4, 3]],
      [['circle', 'square', 'triangle'], 6],
    ]);
    expect(tf.memory().numTensors).toBe(0);
  } finally {
    log.mockRestore();
  }
});
