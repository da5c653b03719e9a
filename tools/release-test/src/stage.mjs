import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { publishManifest } from './manifest.mjs';
import { auditPack } from './pack-audit.mjs';
import { mapLimit, run } from './proc.mjs';

/** Thrown when a package's tarball would be wrong; names the package and every problem. */
export class PackAuditError extends Error {
  constructor(failures) {
    super(
      failures
        .map(({ name, problems }) => `${name}: the tarball is wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
        .join('\n'),
    );
    this.packages = failures.map(({ name }) => name);
  }
}

/**
 * Copies each built package, exactly as `npm pack` would ship it, into `outDir` (same relative
 * folders) with its publish manifest, plus a root package.json and a changesets config limited to
 * the staged packages. The repository is never modified: publishing happens from the copy.
 * Returns the pack audit of every package; throws PackAuditError naming the bad ones.
 */
export async function stageWorkspace({ root, packages, outDir }) {
  const audits = await mapLimit(packages, 4, async (pkg) => {
    const json = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], { cwd: pkg.dir });
    const [pack] = JSON.parse(json.slice(json.indexOf('[')));
    const manifest = publishManifest(pkg.manifest);
    return { name: pkg.name, version: pkg.manifest.version, pkg, manifest, ...auditPack(pack, manifest) };
  });
  const failures = audits.filter((audit) => audit.problems.length > 0);
  if (failures.length > 0) throw new PackAuditError(failures);

  for (const { pkg, manifest, files } of audits) {
    const target = join(outDir, pkg.relDir);
    for (const file of files) {
      if (file === 'package.json') continue;
      await mkdir(dirname(join(target, file)), { recursive: true });
      await copyFile(join(pkg.dir, file), join(target, file));
    }
    await writeFile(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  await writeStageRoot({ root, packages, outDir });
  return audits;
}

async function writeStageRoot({ root, packages, outDir }) {
  const names = new Set(packages.map((pkg) => pkg.name));
  const stageManifest = { name: 'resnet-ts-release-stage', private: true, workspaces: packages.map((pkg) => pkg.relDir) };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(stageManifest, null, 2)}\n`);
  const config = JSON.parse(await readFile(join(root, '.changeset', 'config.json'), 'utf8'));
  config.ignore = [];
  config.fixed = (config.fixed ?? []).map((group) => group.filter((name) => names.has(name))).filter((g) => g.length > 0);
  config.linked = (config.linked ?? []).map((group) => group.filter((name) => names.has(name))).filter((g) => g.length > 0);
  await mkdir(join(outDir, '.changeset'), { recursive: true });
  await writeFile(join(outDir, '.changeset', 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  // changesets resolves its changelog generator from the stage; let it find the workspace's copy.
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
}
