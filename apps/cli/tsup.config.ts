import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

export default defineConfig(
  packageBuild({ cli: 'src/cli.ts' }, { dts: false, platform: 'node', banner: { js: '#!/usr/bin/env node' } }),
);
