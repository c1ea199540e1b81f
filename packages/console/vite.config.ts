import { defineConfig } from 'vite';

// Served by the server at /_console (packages/server/src/http/admin/console.ts); no CDN at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: '/_console/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
