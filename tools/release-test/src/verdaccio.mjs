import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runServer } from 'verdaccio';

/** The fake token every test `.npmrc` sends: the config lets anyone publish, npm just needs one. */
export const REGISTRY_TOKEN = 'release-test-token';

/**
 * Verdaccio for one scope only: `@resnet-ts/*` can be published and read by anyone, and nothing
 * else is served (no uplinks, no `**` rule), so a package can only come from what this run
 * published. Everything else reaches npm through the scoped registry setting in each `.npmrc`.
 */
export function verdaccioConfig({ storage, logFile, scope = '@resnet-ts' }) {
  return [
    `storage: ${JSON.stringify(storage)}`,
    'web:',
    '  enable: false',
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(storage, 'htpasswd'))}`,
    '    max_users: -1',
    'uplinks: {}',
    'packages:',
    `  '${scope}/*':`,
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    'server:',
    '  keepAliveTimeout: 60',
    'max_body_size: 200mb',
    'log:',
    '  type: file',
    `  path: ${JSON.stringify(logFile)}`,
    '  format: json',
    '  level: warn',
    '',
  ].join('\n');
}

/**
 * Starts Verdaccio inside this process on 127.0.0.1 with a port the kernel picks, so two runs
 * never collide and the server cannot outlive the test. Returns its URL and an idempotent close.
 */
export async function startVerdaccio({ dir }) {
  const storage = join(dir, 'storage');
  const configPath = join(dir, 'config.yaml');
  const logFile = join(dir, 'verdaccio.log');
  await mkdir(storage, { recursive: true });
  await writeFile(configPath, verdaccioConfig({ storage, logFile }));
  const server = await runServer(configPath);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  let closed;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    logFile,
    close() {
      closed ??= new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
