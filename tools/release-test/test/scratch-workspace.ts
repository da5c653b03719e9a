import { copyFile, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this test runs in: its tools (nx, tsup, changesets) and changesets config are reused. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface ScratchPackage {
  /** Folder name under packages/ and the part after `@resnet-ts/`. */
  name: string;
  /** Contents of src/index.ts. */
  source: string;
  /** Extra or replaced package.json fields. */
  manifest?: Record<string, unknown>;
  /** Modules tsup leaves as imports in the bundle and its .d.ts. */
  external?: string[];
}

/**
 * A throw-away npm workspace outside the repository, laid out like ours (packages/*, the source
 * condition, tsup builds, the repository's changesets config), whose node_modules is the
 * repository's. Scratch packages can be broken on purpose without touching the repository.
 */
export async function scratchWorkspace(packages: ScratchPackage[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'resnet-release-scratch-'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'scratch', private: true, workspaces: ['packages/*'] }));
  await mkdir(join(root, '.changeset'));
  await copyFile(join(repoRoot, '.changeset', 'config.json'), join(root, '.changeset', 'config.json'));
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const pkg of packages) {
    const dir = join(root, 'packages', pkg.name);
    await mkdir(join(dir, 'src'), { recursive: true });
    const manifest = {
      name: `@resnet-ts/${pkg.name}`,
      version: '0.1.0',
      type: 'module',
      exports: {
        '.': { '@resnet-ts/source': './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
      },
      files: ['dist', 'README.md'],
      scripts: { build: 'tsup' },
      peerDependencies: { '@tensorflow/tfjs': '^4.22.0' },
      ...pkg.manifest,
    };
    await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    await writeFile(join(dir, 'README.md'), `# @resnet-ts/${pkg.name}\n\nScratch package of the release-test tests.\n`);
    await writeFile(join(dir, 'src', 'index.ts'), pkg.source);
    await writeFile(
      join(dir, 'tsup.config.ts'),
      `export default { entry: { index: 'src/index.ts' }, format: ['esm'], dts: true, clean: true, external: ${JSON.stringify(pkg.external ?? [])} };\n`,
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true } }),
    );
  }
  return root;
}
