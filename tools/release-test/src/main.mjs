#!/usr/bin/env node
// `npm run release-test`: publishes every public package to a loopback Verdaccio and checks each
// from a fresh consumer. Flags: --keep (keep the temp folders), --root <dir>, --concurrency <n>,
// --skip-build (use the current dist/; development only).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { releaseTest } from './release-test.mjs';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(dirname(fileURLToPath(import.meta.url)), '../../..') },
    keep: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '3' },
  },
});

try {
  await releaseTest({ root: resolve(values.root), keep: values.keep, skipBuild: values['skip-build'], concurrency: Number(values.concurrency) });
  process.exit(0);
} catch (error) {
  console.error(`\nrelease-test FAILED: ${error.message}`);
  process.exit(1);
}
