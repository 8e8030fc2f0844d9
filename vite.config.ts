// Build of the Dockhand client: React, and the PWA (manifest + our own service worker from
// workers/sw.ts, with the precache manifest injected). The dev server forwards /api to Fastify.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/** Header and theme colour: the dark header the app draws, so the status bar matches it. */
const THEME_COLOR = '#111827';

/** Largest file the service worker precaches; raised above workbox's 2 MiB for the decoder's .wasm. */
const MAX_PRECACHE_FILE_BYTES = 8 * 1024 * 1024;

/** The build's version, reported by devices with every sync: the package version and the commit. */
function appVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
  try {
    return `${version}+${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()}`;
  } catch {
    // Built outside a git checkout (a release tarball): the package version alone.
    return version;
  }
}

export default defineConfig({
  define: { __DOCKHAND_VERSION__: JSON.stringify(appVersion()) },
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'workers',
      filename: 'sw.ts',
      // src/app/update-prompt.tsx registers /sw.js itself with workbox-window and asks before
      // activating a new version, so a reload never interrupts a scan in progress.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Dockhand',
        short_name: 'Dockhand',
        description: 'Receiving, putaway, picking, packing and returns for the warehouse floor.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME_COLOR,
        background_color: THEME_COLOR,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,wasm,ico}'],
        maximumFileSizeToCacheInBytes: MAX_PRECACHE_FILE_BYTES,
      },
      // The service worker is exercised against `vite preview` / the built app, not the dev server.
      devOptions: { enabled: false },
    }),
  ],
  // The decode worker loads its barcode engine with a dynamic import (one chunk per engine), which
  // needs ES-module workers; the zxing-cpp .wasm it imports with ?url is emitted into dist/assets
  // and precached by the service worker (globPatterns above).
  worker: {
    format: 'es',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
});
