import { defineConfig, mergeConfig } from 'vitest/config';
import { baseTestConfig } from '../../vitest.base';

/**
 * The demo's tests are end-to-end runs in Debian's Chromium against the built app (`dist/`),
 * which the `test` script builds first, and a few unit tests of its own modules in Node. One
 * browser at a time: CI has 2 cores.
 */
export default mergeConfig(
  baseTestConfig,
  defineConfig({
    test: {
      include: ['test/**/*.e2e.ts', 'test/**/*.test.ts'],
      testTimeout: 240_000,
      hookTimeout: 120_000,
      fileParallelism: false,
      reporters: ['verbose'],
    },
  }),
);
