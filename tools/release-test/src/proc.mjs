import { spawn } from 'node:child_process';

const running = new Set();

/** Thrown when a command exits non-zero; carries its combined output for the report. */
export class CommandError extends Error {
  constructor(command, cwd, code, output) {
    super(`\`${command}\` in ${cwd} exited with ${code}\n${tail(output, 60)}`);
    this.output = output;
    this.code = code;
  }
}

/**
 * Runs a command without blocking the event loop (Verdaccio serves from this process), captures
 * stdout and stderr together and rejects with the output when it fails. Every child is tracked so
 * `killAll` can stop them on any exit path.
 */
export function run(command, args, { cwd, env = {}, timeoutMs = 300_000 } = {}) {
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: killAll takes npm's children down with it
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve(output);
      else reject(new CommandError(shown, cwd, code ?? signal, output));
    });
  });
}

/**
 * Runs a command on this terminal (npm may prompt for a one-time password), tracked like `run`.
 */
export function runInteractive(command, args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    running.add(child);
    child.on('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${[command, ...args].join(' ')} in ${cwd} exited with ${code ?? signal}`));
    });
  });
}

/**
 * Stops every child (and its process group) still running; resolves once they have exited (or
 * after `graceMs`), so their folders can be removed.
 */
export function killAll(graceMs = 5_000) {
  const children = [...running];
  const exited = children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', resolve))));
  for (const child of children) killGroup(child);
  return Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // not a group leader (runInteractive shares this terminal's group)
  }
}

/** The last `lines` lines of a command's output. */
export function tail(text, lines) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs `task` over `items` with at most `limit` at a time; results keep the input order. */
export async function mapLimit(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
