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

export interface RunCliOptions {
  /** Working folder of the child (relative paths in `args` resolve against it). Default the CLI's folder. */
  cwd?: string;
  /** Milliseconds before the child is killed and the call fails. Default 90 s; training runs pass more. */
  timeoutMs?: number;
}

/**
 * Runs the `resnet` binary as a real child process. RESNET_* variables of the calling shell are
 * dropped so each test states its own environment. The timeout turns a process that does not exit
 * (e.g. kept alive by wasm worker threads) into a failure instead of a hung test run.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, options: RunCliOptions = {}): CliResult {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RESNET_')));
  const result = spawnSync(process.execPath, [binary, ...args], {
    cwd: options.cwd ?? cliRoot,
    env: { ...inherited, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 90_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the binary and fails with its stderr when it does not exit 0. */
export function runCliOk(args: readonly string[], env: Record<string, string> = {}, options: RunCliOptions = {}): CliResult {
  const result = runCli(args, env, options);
  if (result.code !== 0) throw new Error(`resnet ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result;
}

/** Runs the binary and parses its stdout as JSON, failing with its stderr when it does not exit 0. */
export function runCliJson<T>(args: readonly string[], env: Record<string, string> = {}, options: RunCliOptions = {}): { value: T; stderr: string } {
  const result = runCliOk(args, env, options);
  return { value: JSON.parse(result.stdout) as T, stderr: result.stderr };
}
