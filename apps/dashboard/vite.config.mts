import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Preact's JSX through Vite's own transform: no Babel-based preset needed.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/apps/dashboard'),
    emptyOutDir: true,
    // The pipeline serves these files; a source map lets a browser's tools show the TypeScript.
    sourcemap: true,
  },
  server: {
    // `npx nx serve dashboard` with a pipeline on :8000: the API calls go there, same origin as in production.
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
