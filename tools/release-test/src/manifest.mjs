/** The export condition that points workspace tools at TypeScript sources; never published. */
export const SOURCE_CONDITION = '@resnet-ts/source';

/**
 * The package.json that goes into the tarball: the workspace-only source condition is removed
 * from every export entry (src/ is not shipped, so a consumer enabling it would break); the Nx
 * project settings and the scripts (build, test and the prepublishOnly guard against publishing
 * from the package folder) are dropped. Everything else is published as written.
 */
export function publishManifest(manifest) {
  const { nx: _nx, scripts: _scripts, ...rest } = manifest;
  return rest.exports === undefined ? rest : { ...rest, exports: stripCondition(rest.exports) };
}

function stripCondition(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, inner]) => [key, stripCondition(inner)]),
  );
}

/**
 * Problems with a publish manifest's exports, each naming the entry: a condition object must put
 * `types` first (TypeScript takes the first match), one with `import` needs a last `default` (what
 * `require()` resolves: Node 20.19+ requires ESM, but never through `import`), and every target
 * must be a shipped file.
 */
export function exportProblems(manifest, shippedFiles) {
  const problems = [];
  const shipped = new Set(shippedFiles);
  const visit = (entry, value) => {
    if (typeof value === 'string') {
      if (!shipped.has(value.replace(/^\.\//, ''))) problems.push(`exports["${entry}"] points at ${value}, which is not in the tarball`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const keys = Object.keys(value);
    if (keys.includes(SOURCE_CONDITION)) problems.push(`exports["${entry}"] still has the ${SOURCE_CONDITION} condition`);
    if (keys.includes('types') && keys[0] !== 'types') problems.push(`exports["${entry}"]: "types" must be the first condition, found ${keys.join(', ')}`);
    if (keys.includes('import') && !keys.includes('default') && !keys.includes('require')) {
      problems.push(`exports["${entry}"] has "import" but no "default" condition: require() of it fails (add "default" with the same file)`);
    }
    if (keys.includes('default') && keys.at(-1) !== 'default') problems.push(`exports["${entry}"]: "default" must be the last condition, found ${keys.join(', ')}`);
    for (const [key, inner] of Object.entries(value)) visit(key.startsWith('.') ? key : entry, inner);
  };
  visit('.', manifest.exports ?? {});
  for (const field of ['main', 'types']) {
    if (manifest[field] && !shipped.has(manifest[field].replace(/^\.\//, ''))) problems.push(`"${field}" points at ${manifest[field]}, which is not in the tarball`);
  }
  for (const [command, target] of Object.entries(binEntries(manifest))) {
    if (!shipped.has(target.replace(/^\.\//, ''))) problems.push(`bin "${command}" points at ${target}, which is not in the tarball`);
  }
  return problems;
}

/** The `bin` field as `{ command: file }`, whichever form the manifest uses. */
export function binEntries(manifest) {
  if (!manifest.bin) return {};
  return typeof manifest.bin === 'string' ? { [manifest.name.split('/').pop()]: manifest.bin } : manifest.bin;
}
