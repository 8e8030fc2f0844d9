// What the camera benchmark sections share within one `npm run bench`: a production build of the
// camera benchmark page (bench/camera-page: the project's engines, bridge, worker and camera source,
// bundled by Vite as the app bundles them), a loopback static server for it and for the sample
// photos, and Chromium driven by playwright-core. Closed by `closeCameraHarness` at the end of a run.
import { execFile } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/harness';
import type { CameraBenchApi } from './camera-page/main';

/** The sample photos (README.md there): real barcodes with their expected text. */
export const SAMPLES_DIR = process.env.BARCODE_SAMPLES ?? '/work/shared/barcodes';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
};

export interface CameraHarness {
  /** The bench page's address. */
  url: string;
  /** Serves `body` at `/generated/<name>` (frames, rendered barcodes). */
  publish(name: string, body: Uint8Array | Uint8ClampedArray, type?: string): string;
}

let built: Promise<string> | undefined;
let harness: Promise<CameraHarness & { server: Server }> | undefined;
const browsers: Browser[] = [];
const tempDirs: string[] = [];

/**
 * `vite build --config bench/camera-page/vite.config.ts` in a child process under
 * NODE_ENV=production (as `npm start` builds the app), into a temp folder; once per run.
 */
function buildPage(log: (line: string) => void): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'dockhand-camera-bench-'));
    tempDirs.push(outDir);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    delete env['VITEST'];
    const started = performance.now();
    await promisify(execFile)(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'bench/camera-page/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      { env, maxBuffer: 16 * 2 ** 20 },
    );
    log(`camera bench page built (vite build, NODE_ENV=production) into ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return outDir;
  })();
  return built;
}

/** A path inside `root`, or null when the request climbs out of it. */
function inside(root: string, path: string): string | null {
  const full = normalize(join(root, decodeURIComponent(path)));
  return full === root || full.startsWith(root + sep) ? full : null;
}

export function cameraHarness(log: (line: string) => void): Promise<CameraHarness> {
  harness ??= (async () => {
    const dist = resolve(await buildPage(log));
    const samples = resolve(SAMPLES_DIR);
    const generated = new Map<string, { body: Uint8Array; type: string }>();
    const server = createServer((req, res) => {
      void (async () => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        try {
          const made = path.startsWith('/generated/') ? generated.get(path.slice('/generated/'.length)) : undefined;
          if (made) {
            res.writeHead(200, { 'content-type': made.type, 'cache-control': 'no-store' });
            res.end(made.body);
            return;
          }
          const file = path.startsWith('/samples/') ? inside(samples, path.slice('/samples/'.length)) : inside(dist, path === '/' ? 'index.html' : path.slice(1));
          if (!file) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream' });
          res.end(body);
        } catch {
          if (res.headersSent) res.destroy();
          else res.writeHead(404).end();
        }
      })();
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('The camera bench server has no port.');
    const url = `http://127.0.0.1:${address.port}`;
    return {
      url,
      server,
      publish(name, body, type = 'application/octet-stream') {
        generated.set(name, { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), type });
        return `${url}/generated/${name}`;
      },
    };
  })();
  return harness;
}

/** A Chromium of its own (closed with the harness); `args` for the fake camera. */
export async function cameraBrowser(args: string[] = []): Promise<Browser> {
  const browser = await launchChromium({ args });
  browsers.push(browser);
  return browser;
}

/** The bench page, loaded, in a new context of `browser`. */
export async function benchPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  await context.grantPermissions(['camera'], { origin: url });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('  [camera page] error:', error));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { cameraBench?: CameraBenchApi }).cameraBench?.ready === true);
  return page;
}

export async function closeBrowser(browser: Browser): Promise<void> {
  const index = browsers.indexOf(browser);
  if (index >= 0) browsers.splice(index, 1);
  await browser.close().catch(() => undefined);
}

/** Closes whatever the camera sections opened: browsers, the server, the build's temp folder. */
export async function closeCameraHarness(): Promise<void> {
  await Promise.all(browsers.splice(0).map((browser) => browser.close().catch(() => undefined)));
  const running = harness;
  harness = undefined;
  built = undefined;
  if (running) {
    const { server } = await running.catch(() => ({ server: null }));
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
