#!/usr/bin/env node
// `npm run release` (after the build): publishes the versions the registry does not have yet.
// Each public package is staged as npm would pack it, minus the workspace-only `@resnet-ts/source`
// export condition, and `changeset publish` runs on the staged copy, so the repository is never
// rewritten; git tags (`@resnet-ts/zoo@0.2.0`) are then created in the repository by
// `changeset tag`. Registry and credentials are the user's usual npm configuration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAll, runInteractive } from './proc.mjs';
import { stageWorkspace } from './stage.mjs';
import { publicPackages } from './workspace.mjs';

const { values } = parseArgs({ options: { root: { type: 'string', default: resolve(dirname(fileURLToPath(import.meta.url)), '../../..') } } });
const root = resolve(values.root);
const changeset = join(root, 'node_modules', '.bin', 'changeset');
const stage = await mkdtemp(join(tmpdir(), 'resnet-release-'));
const onSignal = (signal) => {
  killAll()
    .then(() => rm(stage, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }))
    .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const packages = await publicPackages(root);
  await stageWorkspace({ root, packages, outDir: stage });
  // Interactive: npm may ask for a one-time password, so the child shares this terminal.
  await runInteractive(changeset, ['publish', '--no-git-tag'], { cwd: stage });
  await runInteractive(changeset, ['tag'], { cwd: root });
} catch (error) {
  console.error(`release FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  await rm(stage, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

