// Lint: TypeScript's recommended rules, React hooks, and the one-way import rules of STYLE.md:
// domain ← storage/sync/scanner/printing ← features ← app; features never import each other; the server
// shares only src/domain with the client; no cycles.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const client = ['./src/storage', './src/sync', './src/scanner', './src/printing', './src/features', './src/ui', './src/app'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tsbuild/**', 'dev-dist/**', 'test-results/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['*.js'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { 'import-x/resolver': { typescript: { project: ['tsconfig.app.json', 'tsconfig.node.json', 'tsconfig.worker.json'], noWarnOnMultipleProjects: true } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: './src/domain', from: [...client, './server'], message: 'src/domain is pure: no client or server code.' },
          { target: ['./src/storage', './src/sync', './src/scanner', './src/printing'], from: ['./src/features', './src/app'], message: 'Imports flow one way: features and app build on storage, sync, scanner and printing.' },
          { target: './src/ui', from: ['./src/features', './src/app'], message: 'Shared UI knows no feature.' },
          { target: './src/features', from: './src/app', message: 'Features do not import the app shell.' },
          ...features.map((name) => ({
            target: `./src/features/${name}`,
            from: './src/features',
            except: [`./${name}`],
            message: 'Features do not import each other; share through src/domain, storage or ui.',
          })),
          { target: './src', from: './server', message: 'The client never imports server code.' },
          { target: './server', from: client, message: 'The server shares only src/domain with the client.' },
          { target: './workers', from: ['./src/features', './src/app'], message: 'Workers stay thin.' },
        ],
      }],
    },
  },
  {
    // Tests wire layers together the way the app does; the layering binds production code.
    files: ['**/*.test.{ts,tsx}'],
    rules: { 'import-x/no-restricted-paths': 'off' },
  },
);
