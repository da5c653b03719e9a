import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Where the app serves the wasm binaries of `@tensorflow/tfjs-backend-wasm` (relative to its base). */
export const WASM_DIR = 'tfjs-wasm/';

function wasmSourceDir(): string {
  const require = createRequire(import.meta.url);
  // The package's main entry sits in dist/, next to the .wasm files.
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

/**
 * Serves (dev) and emits (build) the tfjs wasm binaries from the app's own origin, so the wasm
 * backend never fetches from a CDN. The app points `setWasmPaths` at `${BASE_URL}${WASM_DIR}`.
 */
export function tfjsWasmAssets(): Plugin {
  const sourceDir = wasmSourceDir();
  const files = readdirSync(sourceDir).filter((name) => name.endsWith('.wasm'));
  if (files.length === 0) {
    throw new Error(`tfjs-wasm-assets: no .wasm files in ${sourceDir}; reinstall @tensorflow/tfjs-backend-wasm`);
  }
  return {
    name: 'tfjs-wasm-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = req.url?.match(new RegExp(`/${WASM_DIR}([^/?]+\\.wasm)`));
        if (!match || !files.includes(match[1])) return next();
        res.setHeader('Content-Type', 'application/wasm');
        res.end(readFileSync(join(sourceDir, match[1])));
      });
    },
    generateBundle() {
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: `${WASM_DIR}${file}`, source: readFileSync(join(sourceDir, file)) });
      }
    },
  };
}
