// Browser end-to-end harness: the real server (PGlite on disk, demo warehouse) serving the built
// PWA on a loopback port, and Debian's Chromium driven by playwright-core.
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/app';
import { openDb, type Db } from '../../server/db/index';
import { migrate } from '../../server/db/migrate';
import { demoWarehouse } from '../../server/seed/demo';
import { loadWarehouse } from '../../server/seed/load';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DIST = resolve('dist');
/** Where tests keep artefacts (screenshots) for people to look at. */
export const ARTEFACTS = resolve('test-results');

/** Keeps the whole page (or only what is in view) as `test-results/<name>.png`. */
export async function keepScreenshot(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  await mkdir(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The page's serious and critical accessibility violations (axe-core), each with the elements it
 * names. axe is evaluated through the DevTools protocol, not added as a script tag: the app's CSP
 * allows no inline script, and it must stay in force while the page is checked.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/** The sync indicator's text ("Offline · 3 pending", "All synced · …"). */
export const statusText = (page: Page): Promise<string> => page.getByRole('status').first().innerText();

/** Types a barcode into the focused Scan field and ends it with Enter, as a wedge scanner does. */
export async function scan(page: Page, text: string): Promise<void> {
  const field = page.getByLabel('Scan', { exact: true });
  await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
  await field.pressSequentially(text);
  await field.press('Enter');
}

export interface RunningApp {
  url: string;
  db: Db;
  close(): Promise<void>;
}

export async function startDockhand(today = new Date().toISOString().slice(0, 10)): Promise<RunningApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dockhand-e2e-'));
  const db = await openDb({ dataDir });
  await migrate(db);
  await loadWarehouse(db, demoWarehouse(today));
  const app = await buildApp({ db, staticDir: DIST });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    db,
    async close() {
      await app.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Flags for a headless Chromium in this sandbox: no GPU, no calls home that the network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, ...options, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}
