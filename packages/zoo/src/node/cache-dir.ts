import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The environment variable that moves resnet-ts's download cache. */
export const CACHE_DIR_ENV = 'RESNET_TS_CACHE';

/**
 * Where resnet-ts keeps downloads (ImageNet weights, class indexes): `$RESNET_TS_CACHE`, else
 * `$XDG_CACHE_HOME/resnet-ts`, else `~/.cache/resnet-ts`. Read on every call, so a changed
 * environment applies without a restart. A relative XDG_CACHE_HOME is ignored, as the XDG spec asks.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env[CACHE_DIR_ENV];
  if (own) return resolve(own);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'resnet-ts');
  return join(homedir(), '.cache', 'resnet-ts');
}
