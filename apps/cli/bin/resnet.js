#!/usr/bin/env node
// The `resnet` binary. npm links bins when it installs, before anything is built, and skips a bin
// whose file is missing; so the link points at this committed file, which loads the build.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('resnet: the CLI is not built yet; run `npm run build` at the repository root\n');
  process.exit(1);
}
await import(entry.href);
