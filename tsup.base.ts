import type { Options } from 'tsup';

/**
 * Shared tsup settings: ESM plus .d.ts for every entry point of a package.
 * Workspace packages and tfjs stay external so one tfjs engine exists at run time.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    splitting: true,
    treeshake: true,
    external: [/^@tensorflow\//, /^@resnet-ts\//],
    ...overrides,
  };
}
