import { defineConfig } from 'vitest/config';

// Plain Node tests of the API snapshot tool; they build scratch packages in a temp folder.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
  },
});
