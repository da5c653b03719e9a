/**
 * Checks a shard path from a manifest before anything is read: it must stay inside the model
 * folder, so a stranger's model.json cannot make us read `/etc/passwd`, `../../secrets` or a URL.
 */
export function assertRelativeShardPath(path: unknown, label: string): string {
  const refuse = (why: string) => {
    throw new Error(`${label}: shard path ${JSON.stringify(path)} ${why}; shard paths must be plain relative file names inside the model folder`);
  };
  if (typeof path !== 'string' || path.length === 0) return refuse('is not a non-empty string');
  if (path.includes('\0')) return refuse('contains a NUL byte');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return refuse('is not valid percent-encoding');
  }
  for (const candidate of [path, decoded]) {
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(candidate)) refuse('is a URL or a drive path');
    if (candidate.startsWith('/') || candidate.startsWith('\\')) refuse('is absolute');
    if (candidate.split(/[\\/]/).some((part) => part === '..')) refuse('climbs out of the model folder');
  }
  return path;
}
