#!/usr/bin/env node
// `prepublishOnly` of every public package. `npm publish` run inside a package folder would ship
// the workspace manifest (its exports keep the `@resnet-ts/source` condition, pointing at sources
// that are not shipped) and skip the pack audit. Releases go through `npm run release`, which
// publishes staged copies whose manifests have no scripts, so this never runs there.
import { readFileSync } from 'node:fs';

const { name } = JSON.parse(readFileSync('package.json', 'utf8'));
console.error(
  `${name}: do not run npm publish in the package folder (the workspace manifest is not the published one). ` +
    'Run `npm run release` at the repository root; `npm run release-test` tries it on a local registry.',
);
process.exit(1);
