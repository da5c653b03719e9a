import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackages } from './build.mjs';
import { checkCli } from './cli-consumer.mjs';
import { checkConsumer, scopedNpmrc, writeConsumer } from './consumers.mjs';
import { formatBytes } from './pack-audit.mjs';
import { killAll, mapLimit, run, tail } from './proc.mjs';
import { stageWorkspace } from './stage.mjs';
import { ONE_LINE_USES } from './usage.mjs';
import { startVerdaccio } from './verdaccio.mjs';
import { publicPackages } from './workspace.mjs';

/**
 * @typedef {object} ReleaseTestOptions
 * @property {string} root          workspace to release (the repository, or a scratch copy in tests)
 * @property {boolean} [keep]       keep the temporary folders for inspection
 * @property {number} [concurrency] consumer projects installed at once (default 3)
 * @property {boolean} [skipBuild]  use the packages' current dist/ (development only)
 * @property {boolean} [npx]        check the CLI when it is published: installed alone, `npx @resnet-ts/cli info` (default true)
 * @property {(line: string) => void} [log]
 */

/**
 * Builds, audits, versions (changesets snapshot) and publishes every public package of `root` to a
 * loopback Verdaccio, then checks each package from a fresh consumer outside the repository.
 * Throws an error naming the package at fault; always stops Verdaccio and every child process.
 */
export async function releaseTest({ root, keep = false, skipBuild = false, concurrency = 3, npx = true, log = console.log }) {
  const started = Date.now();
  const phase = (name) => log(`\n::: release-test: ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  const work = await mkdtemp(join(tmpdir(), 'resnet-release-test-'));
  let registry;
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      await killAll();
      await registry?.close();
      // npm may still be finishing writes when it is killed: retry ENOTEMPTY/EBUSY a few times.
      if (!keep) await rm(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    })();
    return stopping;
  };
  const onSignal = (signal) => {
    stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const packages = await publicPackages(root);
    log(`packages: ${packages.map((pkg) => pkg.name).join(', ')}`);

    phase(skipBuild ? 'build skipped (--skip-build)' : 'build');
    if (!skipBuild) await buildPackages({ root, packages });

    phase('pack audit and staging');
    const stage = join(work, 'stage');
    const audits = await stageWorkspace({ root, packages, outDir: stage });
    log(packTable(audits));

    phase('start Verdaccio');
    registry = await startVerdaccio({ dir: join(work, 'verdaccio') });
    await assertScopeOnly(registry.url);
    log(`registry: ${registry.url} (serves @resnet-ts/* only)`);

    phase('version (changeset version --snapshot)');
    const versions = await versionStage({ root, stage, packages });
    log(Object.entries(versions).map(([name, version]) => `${name}@${version}`).join('\n'));

    phase('publish (changeset publish)');
    await publishStage({ root, stage, registry: registry.url });
    await assertPublished(registry.url, versions);

    phase('consumers: each package installed alone, type-checked and used');
    const tscPath = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const libraries = packages.filter((pkg) => pkg.manifest.exports && Object.keys(pkg.manifest.exports).some((k) => k !== './package.json'));
    const consumerReports = await mapLimit(libraries, concurrency, async (pkg) => {
      const dir = join(work, 'consumers', pkg.name.split('/').pop());
      const manifest = JSON.parse(await readFile(join(stage, pkg.relDir, 'package.json'), 'utf8'));
      const readme = await readFile(join(stage, pkg.relDir, 'README.md'), 'utf8');
      await writeConsumer({ dir, manifest, version: versions[pkg.name], registry: registry.url, readme });
      const report = await checkConsumer({ dir, manifest, tscPath });
      log(`ok ${pkg.name}@${versions[pkg.name]} (install ${report.installSeconds.toFixed(1)}s): ${JSON.stringify(report.report)}`);
      for (const warning of report.warnings) log(`   warning (optional peer not installed): ${warning}`);
      if (!ONE_LINE_USES[pkg.name]) log(`   note: no one-line use is defined for ${pkg.name} in usage.mjs; only its imports were run`);
      return report;
    });

    const cli = packages.find((pkg) => pkg.manifest.bin);
    if (npx && cli) {
      phase(`${cli.name} installed alone, npx ${cli.name} info, a native backend installed next to it`);
      const manifest = JSON.parse(await readFile(join(stage, cli.relDir, 'package.json'), 'utf8'));
      const output = await checkCli({ dir: join(work, 'cli'), manifest, version: versions[cli.name], registry: registry.url });
      log(tail(output, 20));
    }

    const seconds = (Date.now() - started) / 1000;
    phase(`passed in ${seconds.toFixed(1)}s`);
    return { seconds, versions, audits, consumers: consumerReports };
  } catch (error) {
    if (registry && error.message) error.message += await verdaccioLogTail(registry.logFile);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
    if (keep) log(`kept ${work}`);
  }
}

/** The pack audit as a table: files, packed and unpacked size per package. */
export function packTable(audits) {
  const rows = audits.map((a) => [a.name, String(a.fileCount), formatBytes(a.packedBytes), formatBytes(a.unpackedBytes)]);
  const header = ['package', 'files', 'packed', 'unpacked'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

/** Anything outside our scope must be unknown to the test registry (no uplink, no `**` rule). */
async function assertScopeOnly(url) {
  const response = await fetch(`${url}typescript`);
  if (response.ok) throw new Error(`the test registry serves "typescript": it must serve @resnet-ts/* only`);
}

/** A snapshot changeset bumping every staged package, applied with the repository's changesets. */
async function versionStage({ root, stage, packages }) {
  const frontMatter = packages.map((pkg) => `"${pkg.name}": patch`).join('\n');
  await writeFile(join(stage, '.changeset', 'release-test.md'), `---\n${frontMatter}\n---\n\nRelease test snapshot.\n`);
  await run(join(root, 'node_modules', '.bin', 'changeset'), ['version', '--snapshot', 'release-test'], { cwd: stage });
  const versions = {};
  for (const pkg of packages) {
    const manifest = JSON.parse(await readFile(join(stage, pkg.relDir, 'package.json'), 'utf8'));
    if (manifest.version === pkg.manifest.version) throw new Error(`${pkg.name}: changeset version left it at ${manifest.version}`);
    versions[pkg.name] = manifest.version;
  }
  return versions;
}

/** `changeset publish` from the stage, our scope routed to the test registry; no git tags. */
async function publishStage({ root, stage, registry }) {
  await writeFile(join(stage, '.npmrc'), scopedNpmrc(registry));
  await run(join(root, 'node_modules', '.bin', 'changeset'), ['publish', '--no-git-tag'], {
    cwd: stage,
    env: { 'npm_config_@resnet-ts:registry': registry },
    timeoutMs: 600_000,
  });
}

async function assertPublished(url, versions) {
  for (const [name, version] of Object.entries(versions)) {
    const response = await fetch(`${url}${name.replace('/', '%2f')}`);
    const packument = response.ok ? await response.json() : { versions: {} };
    if (!packument.versions[version]) throw new Error(`${name}@${version} is not on the test registry after publishing`);
  }
}

async function verdaccioLogTail(logFile) {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text ? `\n--- verdaccio log (tail) ---\n${tail(text, 20)}` : '';
}
