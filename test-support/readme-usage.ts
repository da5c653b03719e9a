import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';

/**
 * Runs the first ```ts block of a package's README (the usage example users copy) as written,
 * with console.log captured, and returns the arguments of every console.log call.
 * `testFileUrl` is the calling test's `import.meta.url`; the package is the folder above `test/`.
 */
export async function runReadmeUsage(testFileUrl: string): Promise<unknown[][]> {
  const packageDir = join(dirname(fileURLToPath(testFileUrl)), '..');
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`${packageDir}/README.md has no \`\`\`ts usage block`);

  const file = join(packageDir, 'test-output', 'readme-usage.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, block[1]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await import(pathToFileURL(file).href);
    return log.mock.calls.map((args) => [...args]);
  } finally {
    log.mockRestore();
  }
}
