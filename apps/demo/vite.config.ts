import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './build/isolation-headers';
import { tfjsWasmAssets } from './build/wasm-assets-plugin';

export default defineConfig({
  // Relative asset URLs: the static site works from any sub-path it is hosted under.
  base: './',
  // Workspace packages resolve to their TypeScript sources, as in tests: no prior package build.
  resolve: { conditions: ['@resnet-ts/source', 'module', 'browser', 'development|production'] },
  plugins: [tfjsWasmAssets()],
  server: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, sourcemap: false },
});
