/** Where a package keeps its API snapshot, relative to the package folder. */
export const SNAPSHOT_FILE = 'api/exports.txt';

const UPDATE_COMMAND = 'npm run api:update';

/** The snapshot text: one `entry kind name` line per export, sorted by entry, then name (code points, not locale). */
export function formatSnapshot(pkg) {
  const rows = [...pkg.exports].sort((a, b) => compare(a.entry, b.entry) || compare(a.name, b.name));
  return rows.map(({ entry, kind, name }) => `${entry} ${kind} ${name}\n`).join('');
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Parses snapshot text back into rows; blank lines are ignored. */
export function parseSnapshot(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [entry, ...rest] = line.trim().split(' ');
      const name = rest.pop();
      return { entry, kind: rest.join(' '), name };
    });
}

/**
 * What differs between a package's exports and its snapshot (null: there is no snapshot), one
 * message per export that is new, gone or of another kind.
 */
export function snapshotDrift(pkg, snapshotText) {
  const hint = `if intended, run ${UPDATE_COMMAND}`;
  if (snapshotText === null) return [`${pkg.name}: no API snapshot ${SNAPSHOT_FILE} — run ${UPDATE_COMMAND}`];
  const key = ({ entry, name }) => `${entry} ${name}`;
  const recorded = new Map(parseSnapshot(snapshotText).map((row) => [key(row), row]));
  const current = new Map(pkg.exports.map((row) => [key(row), row]));
  const messages = [];
  for (const [id, row] of current) {
    const before = recorded.get(id);
    const where = `in "${row.entry}"`;
    if (!before) messages.push(`${pkg.name}: new export "${row.name}" (${row.kind}) ${where} — ${hint}`);
    else if (before.kind !== row.kind) messages.push(`${pkg.name}: export "${row.name}" ${where} changed from ${before.kind} to ${row.kind} — ${hint}`);
  }
  for (const [id, row] of recorded) {
    if (!current.has(id)) messages.push(`${pkg.name}: export "${row.name}" (${row.kind}) in "${row.entry}" was removed — ${hint}`);
  }
  return messages;
}
