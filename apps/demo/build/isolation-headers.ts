/**
 * Cross-origin isolation: without these two headers the page has no SharedArrayBuffer, and the
 * wasm backend falls back to one thread. Every host of the built app must send them.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
