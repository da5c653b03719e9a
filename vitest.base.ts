import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings. Workspace packages resolve to their TypeScript sources through the
 * `@resnet-ts/source` export condition, so tests never need a prior build of their dependencies.
 */
export const baseTestConfig = defineConfig({
  resolve: { conditions: ['@resnet-ts/source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@resnet-ts/source', 'import', 'module', 'node', 'default'] } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
