// Builds the PWA once before the browser suites, exactly as `npm start` does (a separate
// process: inside the test runner NODE_ENV is "test" and React would build for development).
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env['VITEST'];
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env });
}
