import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = join(cliRoot, 'bin', 'resnet.js');
const workDir = mkdtempSync(join(tmpdir(), 'resnet-cli-readme-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The commands of the README's first ```sh block, comments dropped, `npx @resnet-ts/cli` as `resnet`. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(cliRoot, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error(`${cliRoot}/README.md has no \`\`\`sh usage block`);
  return block[1]
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0)
    .map((line) => line.replace(/^npx @resnet-ts\/cli /, 'resnet ').split(/\s+/));
}

it('runs every README command in order with the built binary, each exiting 0', () => {
  const commands = readmeCommands();
  expect(commands.map((words) => words[0])).toEqual(commands.map(() => 'resnet'));
  expect(commands.map((words) => words[1])).toEqual(['info', 'models', 'summary', 'train', 'evaluate', 'export']);
  for (const [, ...args] of commands) {
    const result = spawnSync(process.execPath, [binary, ...args], {
      cwd: workDir,
      env: { ...process.env, NO_COLOR: '1', RESNET_BACKEND: 'wasm' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ command: `resnet ${args.join(' ')}`, code: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      command: `resnet ${args.join(' ')}`,
      code: 0,
      stderr: '',
    });
  }
  expect(readFileSync(join(workDir, 'models', 'shapes', 'classes.json'), 'utf8')).toContain('circle');
});
