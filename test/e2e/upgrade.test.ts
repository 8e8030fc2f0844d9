// An app update in Chromium with scans still unsent: release 5970da2, built from git history,
// confirms picks offline; today's build is deployed in its place; the user accepts the update
// prompt; today's app opens the release's database (Dexie 4 → today's version) with the outbox as
// the release wrote it, and sends every scan once.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openDb, type Db } from '../../server/db/index';
import { migrate } from '../../server/db/migrate';
import { demoWarehouse } from '../../server/seed/demo';
import { loadWarehouse } from '../../server/seed/load';
import { DUPLICATE_WINDOW_MS } from '../../src/scanner/wedge';
import { DIST, keepScreenshot, launchChromium, scan, statusText } from './harness';

/** The release the device runs before the update: Dexie 4, restock sent as version 1. */
const RELEASE = '5970da2';

let workDir: string;
/** What the server hands out as the app: the release's build, then today's. */
let served: string;
let releaseBuild: string;
let db: Db;
let url: string;
let closeServer: () => Promise<void>;
let browser: Browser;

/** Builds the release's app from git history with today's dependencies (unchanged since before it). */
function buildRelease(tree: string, outDir: string): void {
  execFileSync('sh', ['-c', `git archive ${RELEASE} | tar -x -C "${tree}"`]);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env['VITEST'];
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', outDir], { cwd: tree, env, stdio: 'inherit' });
}

/** Replaces what the server serves with `build`, as a deploy does. */
async function deploy(build: string): Promise<void> {
  await rm(served, { recursive: true, force: true });
  await cp(build, served, { recursive: true });
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'dockhand-upgrade-'));
  const tree = join(workDir, 'release');
  served = join(workDir, 'served');
  releaseBuild = join(workDir, 'release-dist');
  await mkdir(tree);
  await symlink(resolve('node_modules'), join(tree, 'node_modules'));
  buildRelease(tree, releaseBuild);
  await deploy(releaseBuild);

  db = await openDb({ dataDir: join(workDir, 'data') });
  await migrate(db);
  await loadWarehouse(db, demoWarehouse(new Date().toISOString().slice(0, 10)));
  const app = await buildApp({ db, staticDir: served });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  url = `http://127.0.0.1:${address.port}`;
  closeServer = () => app.close();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  await db?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

interface StoredOutbox {
  /** IndexedDB's version of the database (Dexie's version × 10). */
  version: number;
  entries: { id: string; seq: number; type: string; version: number; args: Record<string, unknown> }[];
}

/** The outbox as stored, read with IndexedDB itself (the connection is closed before answering). */
function storedOutbox(page: Page): Promise<StoredOutbox> {
  return page.evaluate(
    () =>
      new Promise<StoredOutbox>((done, fail) => {
        const open = indexedDB.open('dockhand');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const database = open.result;
          const read = database.transaction('outbox').objectStore('outbox').getAll();
          read.onsuccess = () => {
            database.close();
            done({ version: database.version, entries: read.result as StoredOutbox['entries'] });
          };
          read.onerror = () => {
            database.close();
            fail(read.error);
          };
        };
      }),
  );
}

/** The module script a build's index.html loads: tells today's build from the release's. */
function entryScript(indexHtml: string): string {
  return /<script type="module" crossorigin src="([^"]+)"/.exec(indexHtml)![1]!;
}

it('keeps the release’s unsent picks through the update prompt and sends each once', async () => {
  const { rows: lists } = await db.query<{ id: string; number: string }>(
    `select l.id, l.number from pick_lists l where l.status = 'open' order by l.number limit 1`,
  );
  const list = lists[0]!;
  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  await page.goto(url);
  const releaseEntry = entryScript(readFileSync(join(releaseBuild, 'index.html'), 'utf8'));
  expect(await page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src'))).toBe(releaseEntry);
  await page.getByLabel('Username').fill('operator');
  await page.getByLabel('PIN').fill('1111');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  // Offline, the release confirms two picks: they wait in its outbox.
  await page.getByRole('link', { name: 'Pick', exact: true }).click();
  await context.setOffline(true);
  await page.getByRole('link', { name: list.number }).click();
  const current = page.getByRole('region', { name: 'Current line' });
  await scan(page, await current.locator('.pick-line-bin-code').innerText());
  await expect.poll(() => current.innerText()).toContain('confirmed');
  const { rows: lines } = await db.query<{ barcodes: string[]; qty: number }>(
    `select p.barcodes, l.qty from pick_lines l join products p on p.id = l.product_id join locations b on b.id = l.location_id
     where l.pick_list_id = $1 and b.code = $2 order by l.walk_seq limit 1`,
    [list.id, await current.locator('.pick-line-bin-code').innerText()],
  );
  const barcode = lines[0]!.barcodes.find((code) => /^0\d{13}$/.test(code))!.slice(1);
  await scan(page, barcode);
  await page.waitForTimeout(DUPLICATE_WINDOW_MS + 50);
  if (lines[0]!.qty > 1) await scan(page, barcode);
  const picks = lines[0]!.qty > 1 ? 2 : 1;
  await expect.poll(() => statusText(page)).toContain(`Offline · ${picks} pending`);
  const written = await storedOutbox(page);
  expect(written.version).toBe(40);
  expect(written.entries.map((entry) => entry.type)).toEqual(Array(picks).fill('pick'));

  // Today's build is deployed. The network comes back, but not yet to the sync API, so the
  // release cannot send its scans before the update: they must cross it in the outbox.
  await deploy(DIST);
  await context.route('**/api/sync/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(false);
  await page.reload();
  const prompt = page.getByRole('status').filter({ hasText: 'A new version is ready' });
  await prompt.waitFor({ timeout: 30_000 });
  await keepScreenshot(page, 'upgrade-prompt');
  // The new version waits for the user: the release still runs, its scans still unsent.
  expect(await page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src'))).toBe(releaseEntry);
  expect((await db.query('select 1 from mutation_results')).rows).toEqual([]);
  await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);

  // Today's app, under today's service worker, on the upgraded database.
  await expect
    .poll(() => page.evaluate(() => document.querySelector('script[type="module"]')?.getAttribute('src')))
    .toBe(entryScript(readFileSync(join(DIST, 'index.html'), 'utf8')));
  await expect.poll(() => statusText(page), { timeout: 15_000 }).toContain(`${picks} pending`);
  const upgraded = await storedOutbox(page);
  expect(upgraded.version).toBeGreaterThan(40);
  expect(upgraded.entries).toEqual(written.entries);

  await context.unroute('**/api/sync/**');
  // A reconnect is one of the engine's triggers: no need to wait out its backoff.
  await context.setOffline(true);
  await context.setOffline(false);
  await expect.poll(() => statusText(page), { timeout: 30_000 }).toContain('All synced');
  // Today's app, back on the pick list, also claims it (claim-pick-list): the release's scans are the rest.
  const { rows: results } = await db.query<{ mutation_id: string; seq: number; status: string }>(
    `select mutation_id, seq, status from mutation_results where type <> 'claim-pick-list' order by seq`,
  );
  expect(results).toEqual(written.entries.map((entry) => ({ mutation_id: entry.id, seq: entry.seq, status: 'applied' })));
  // Applied entries leave the outbox once a pull holds their rows; the upgrade's pull starts over.
  await expect.poll(async () => (await storedOutbox(page)).entries, { timeout: 15_000 }).toEqual([]);
  await context.close();
});
