// Builds the renderer. Relative asset URLs let the same build run under `hearth serve` at `/` and under
// Electron's `app://hearth/` protocol.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The served CSP forbids inline scripts and data: is only allowed for images, so keep fonts as files.
    assetsInlineLimit: 0,
  },
  server: {
    // During `vite dev`, forward API calls to a `hearth serve` on HEARTH_DEV_API (e.g. http://127.0.0.1:4000).
    proxy: process.env.HEARTH_DEV_API
      ? {
          '/api/events': { target: process.env.HEARTH_DEV_API, ws: true },
          '/api': { target: process.env.HEARTH_DEV_API },
          '/login': { target: process.env.HEARTH_DEV_API },
        }
      : {},
  },
});
