import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI tests run `node dist/cli.js`, which loads the built workspace packages (their `dist`).
 * Under Nx the test target depends on the build, so there is nothing to do. Standalone
 * (`npx vitest run`), rebuild through Nx when the CLI's or a workspace dependency's build is
 * missing or older than its sources. RESNET_CLI_NO_BUILD=1 uses the builds as they are.
 */
const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceRoot = path.resolve(cliRoot, '../..');

export default function setup(): void {
  if (process.env.NX_TASK_TARGET_PROJECT || process.env.RESNET_CLI_NO_BUILD === '1') return;
  const stale = [cliRoot, ...workspaceDependencyRoots()].filter(isBuildStale);
  if (stale.length === 0) return;
  console.warn(`cli tests: building (stale or missing dist: ${stale.map((root) => path.relative(workspaceRoot, root)).join(', ')})`);
  execFileSync('npx', ['nx', 'run', '@resnet-ts/cli:build', '--output-style=static'], {
    cwd: workspaceRoot,
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    stdio: 'inherit',
  });
}

function workspaceDependencyRoots(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(cliRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name.startsWith('@resnet-ts/'))
    .map((name) => realpathSync(path.join(workspaceRoot, 'node_modules', name)));
}

function isBuildStale(packageRoot: string): boolean {
  const dist = path.join(packageRoot, 'dist');
  if (!existsSync(dist)) return true;
  const built = listFiles(dist).filter((file) => file.endsWith('.js'));
  if (built.length === 0) return true;
  const oldestBuild = Math.min(...built.map((file) => statSync(file).mtimeMs));
  const sources = [path.join(packageRoot, 'package.json'), ...listFiles(path.join(packageRoot, 'src'))];
  return sources.some((file) => statSync(file).mtimeMs > oldestBuild);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
