// Test runner configuration: two projects. `unit` (domain, server, client with jsdom or
// fake-indexeddb) runs in parallel; `e2e` builds the PWA once and drives Chromium one file at a
// time. Component tests opt into jsdom with a `// @vitest-environment jsdom` first line.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.{ts,tsx}', 'server/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
          exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
          // Server-backed suites boot an embedded PostgreSQL (~2 s, more on a loaded 2-core machine).
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
