import type { BackendName } from './types';

/** A backend that cannot run here: its package is missing or failed to load. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
    readonly installHint?: string,
  ) {
    super(`backend ${backend} is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/** True when a dynamic import failed because the package is not installed (as opposed to failing to load). */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`);
}

/** The first line of an error message: native-module load failures can run to pages. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Trailing periods would double up once the line is embedded in a sentence.
  return message.split('\n', 1)[0].trim().replace(/\.+$/, '');
}
