// Test runner configuration. Node is the default environment; component tests opt into jsdom
// with a `// @vitest-environment jsdom` first line, and Dexie tests import 'fake-indexeddb/auto'.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'server/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**'],
  },
});
