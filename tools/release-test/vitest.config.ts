import { defineConfig } from 'vitest/config';

// Plain Node tests of the release tooling; no workspace package is imported, so the shared
// `@resnet-ts/source` resolution of ../../vitest.base.ts is not needed (and lint keeps tools/ from
// importing root files by path).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
