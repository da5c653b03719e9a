import { join } from 'node:path';
import { run } from './proc.mjs';

/** Thrown when packages fail to build; names each one. */
export class BuildError extends Error {
  constructor(names, output) {
    super(`build failed for ${names.join(', ')}: fix the build before publishing\n${output}`);
    this.packages = names;
  }
}

/**
 * Builds the packages with Nx (cached: after CI's build step this costs seconds) and names the
 * packages whose build task failed.
 */
export async function buildPackages({ root, packages }) {
  const nx = join(root, 'node_modules', '.bin', 'nx');
  const names = packages.map((pkg) => pkg.name);
  try {
    await run(nx, ['run-many', '-t', 'build', '-p', names.join(','), '--output-style=static', '--nxBail=false'], {
      cwd: root,
      env: { ...withoutNxTaskEnv(), NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', CI: 'true' },
      timeoutMs: 900_000,
    });
  } catch (error) {
    if (!error.output) throw error;
    const failed = failedProjects(error.output);
    throw new BuildError(failed.length > 0 ? failed : names, error.message);
  }
}

/**
 * Unsets the NX_* variables of an enclosing Nx task (this runs inside `nx test` in the harness's
 * own tests), so the inner Nx works on `root` and not on the outer workspace.
 */
function withoutNxTaskEnv() {
  return Object.fromEntries(Object.keys(process.env).filter((key) => key.startsWith('NX_')).map((key) => [key, undefined]));
}

/** Project names from Nx's "Failed tasks:" list (`- @resnet-ts/zoo:build`). */
export function failedProjects(output) {
  const section = output.slice(output.lastIndexOf('Failed tasks:'));
  if (!output.includes('Failed tasks:')) return [];
  return [...section.matchAll(/^\s*-\s+(\S+):build\b/gm)].map((match) => match[1]);
}
