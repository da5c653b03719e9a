import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The committed bin shim that npm links as `resnet`; it loads dist/cli.js.
const binary = path.join(cliRoot, 'bin', 'resnet.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `resnet` binary as a real child process (in `cwd`, default the CLI's folder). RESNET_*
 * variables of the calling shell are dropped so each test states its own environment. The timeout
 * turns a process that does not exit (e.g. kept alive by wasm worker threads) into a failure
 * instead of a hung test run.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = cliRoot): CliResult {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RESNET_')));
  const result = spawnSync(process.execPath, [binary, ...args], {
    cwd,
    env: { ...inherited, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the binary and parses its stdout as JSON, failing with its stderr when it does not exit 0. */
export function runCliJson<T>(args: readonly string[], env: Record<string, string> = {}): { value: T; stderr: string } {
  const result = runCli(args, env);
  if (result.code !== 0) throw new Error(`resnet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return { value: JSON.parse(result.stdout) as T, stderr: result.stderr };
}
