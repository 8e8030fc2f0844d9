// Build of the camera benchmark page (bench/camera-harness.ts runs `vite build --config` on this):
// the project's decode engines, bridge, worker and camera source bundled as the app bundles them
// (ES-module workers, the zxing-cpp .wasm emitted as an asset), without React or the PWA.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: { emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
});
