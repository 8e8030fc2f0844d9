// What the browser benchmark sections share within one `npm run bench`, made on first use and
// closed by `closeClientHarness` at the end of the run: a production build of the PWA, the server
// on the large warehouse (PGlite on disk) with the scan benchmark's own pick lists, and Chromium.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { stockId, type Location, type Product } from '../src/domain/entities';
import { buildApp } from '../server/app';
import { openDb, type Db } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { bulkPut } from '../server/db/tables';
import { largeWarehouse } from '../server/seed/large';
import { loadWarehouse } from '../server/seed/load';
import { launchChromium } from '../test/e2e/harness';

/** The warehouse of the client figures: ~100,000 stock rows, as a large 3PL site's device caches. */
export const WAREHOUSE_SIZE = { products: 50_000, bins: 20_000, orders: 5000 };
export const OPERATOR = { username: 'operator', pin: '1111' };
/** A phone-sized window, as the e2e tests use. */
const VIEWPORT = { width: 412, height: 915 };

/** Units on each bench pick line: the scan benchmark picks 200 of them, one scan each. */
export const BENCH_LINE_QTY = 220;

/** The two identical pick lines (one list each) the scan benchmark works: one on screen, one over HTTP. */
export interface BenchPick {
  product: Pick<Product, 'id' | 'sku' | 'barcodes'>;
  bin: Pick<Location, 'id' | 'code'>;
  /** Picked on screen by scanning. */
  screen: { pickListId: string; pickLineId: string; number: string };
  /** Picked by pushes from a second session, timed as server round trips. */
  roundTrip: { pickListId: string; pickLineId: string; number: string };
}

export interface BenchServer {
  url: string;
  db: Db;
  pick: BenchPick;
  /** Rows per synced table the operator's device should end up holding. */
  rowCounts: Record<string, number>;
  loadSeconds: number;
  generateSeconds: number;
}

let built: Promise<string> | undefined;
let server: Promise<BenchServer & { close(): Promise<void> }> | undefined;
let browser: Promise<Browser> | undefined;
let device: Promise<LoadedDevice> | undefined;
const tempDirs: string[] = [];

/**
 * Builds the PWA once per run, as `npm start` does: a child process, since React builds for
 * production only under NODE_ENV=production. It goes to a temp folder, not dist/, so an e2e run
 * serving dist/ at the same time is not pulled from under its feet; the build is the same.
 */
export function buildClient(log: (line: string) => void): Promise<string> {
  built ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'dockhand-bench-dist-'));
    tempDirs.push(outDir);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
    delete env['VITEST'];
    const started = performance.now();
    await promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { env, maxBuffer: 16 * 2 ** 20 });
    log(`client built (vite build, NODE_ENV=production) into ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return outDir;
  })();
  return built;
}

/**
 * Adds, before any browser has synced, two identical single-line pick lists for one product in
 * one bin, and the stock for both (a stock row and its opening ledger movement, as the seed
 * loader writes them), through the bulk writer so they reach the sync feed.
 */
async function addBenchPicks(db: Db, products: readonly Product[], bins: readonly Location[], today: string): Promise<BenchPick> {
  const product = products.find((p) => !p.lotTracked && p.pickFaceLocationId === null);
  if (!product) throw new Error('The warehouse has no product without lots and pick face for the scan benchmark.');
  const { rows: held } = await db.query<{ location_id: string }>('select location_id from stock where product_id = $1', [product.id]);
  const taken = new Set(held.map((r) => r.location_id));
  const bin = bins.find((b) => b.type === 'storage' && !taken.has(b.id));
  if (!bin) throw new Error(`No free storage bin for ${product.sku}.`);

  const createdAt = `${today}T06:00:00Z`;
  const make = (n: number) => {
    const orderId = `59999999999999999${n}`;
    return {
      order: { id: orderId, ownerId: product.ownerId, number: `#BENCH-${n}`, source: 'api' as const, status: 'allocated' as const, customerName: 'Benchmark', createdAt },
      orderLine: { id: `${orderId}-1`, orderId, ownerId: product.ownerId, productId: product.id, qty: BENCH_LINE_QTY, pickedQty: 0, packedQty: 0 },
      pickList: { id: `pl-bench-${n}`, ownerId: product.ownerId, number: `PL-BENCH-${n}`, status: 'open' as const, stagingLocationId: 'loc-PACK-1', createdAt },
      pickLine: {
        id: `pln-bench-${n}`, pickListId: `pl-bench-${n}`, ownerId: product.ownerId, orderId, orderLineId: `${orderId}-1`,
        productId: product.id, locationId: bin.id, lot: null, qty: BENCH_LINE_QTY, pickedQty: 0, shortQty: 0,
        shortReason: null, status: 'open' as const, walkSeq: bin.walkSeq,
      },
    };
  };
  const lists = [make(1), make(2)];
  const stock = {
    id: stockId(bin.id, product.id, null, null), ownerId: product.ownerId, locationId: bin.id, productId: product.id,
    lot: null, expiry: null, lpn: null, qty: BENCH_LINE_QTY * 2 + 100,
  };
  await db.transaction(async (tx) => {
    await bulkPut(tx, 'stock', [stock]);
    await tx.query(
      `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, reason)
       select id, owner_id, location_id, product_id, lot, lpn, qty, 'opening balance' from stock where id = $1`,
      [stock.id],
    );
    await bulkPut(tx, 'orders', lists.map((l) => l.order));
    await bulkPut(tx, 'orderLines', lists.map((l) => l.orderLine));
    await bulkPut(tx, 'pickLists', lists.map((l) => l.pickList));
    await bulkPut(tx, 'pickLines', lists.map((l) => l.pickLine));
  });
  const [screen, roundTrip] = lists.map((l) => ({ pickListId: l.pickList.id, pickLineId: l.pickLine.id, number: l.pickList.number }));
  return { product, bin, screen: screen!, roundTrip: roundTrip! };
}

/** The real server on the large warehouse, serving the built client; once per run. */
export function benchServer(log: (line: string) => void): Promise<BenchServer> {
  server ??= (async () => {
    const distDir = await buildClient(log);
    const dataDir = await mkdtemp(join(tmpdir(), 'dockhand-bench-db-'));
    tempDirs.push(dataDir);
    const today = new Date().toISOString().slice(0, 10);
    const db = await openDb({ dataDir });
    try {
      await migrate(db);
      let started = performance.now();
      const data = largeWarehouse({ ...WAREHOUSE_SIZE, today });
      const generateSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      await loadWarehouse(db, data);
      const loadSeconds = (performance.now() - started) / 1000;
      const pick = await addBenchPicks(db, data.rows.products ?? [], data.rows.locations ?? [], today);
      log(`large warehouse generated in ${generateSeconds.toFixed(1)} s, loaded into PGlite (${dataDir}) in ${loadSeconds.toFixed(1)} s`);
      const { rows } = await db.query<{ tbl: string; n: number }>('select tbl, count(*)::int as n from sync_rows where not deleted group by tbl');
      const rowCounts = Object.fromEntries(rows.map((r) => [r.tbl, r.n]));

      const app = await buildApp({ db, staticDir: distDir, today: () => today });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('The server did not listen on a TCP port.');
      return {
        url: `http://127.0.0.1:${address.port}`, db, pick, rowCounts, loadSeconds, generateSeconds,
        async close() {
          await app.close();
          await db.close();
        },
      };
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  })();
  return server;
}

export function benchBrowser(): Promise<Browser> {
  browser ??= launchChromium();
  return browser;
}

/** A fresh browser profile (empty IndexedDB, no service worker) on the sign-in screen. */
export async function freshPage(url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (await benchBrowser()).newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(OPERATOR.username);
  await page.getByLabel('PIN').fill(OPERATOR.pin);
  return { context, page };
}

/**
 * True once the first load is complete: the sync indicator says "All synced" and the device's
 * meta `initialLoadDone` is set. IndexedDB is opened only once the app has created it (opening a
 * missing database would create an empty one under Dexie's feet).
 */
export function firstLoadDone(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const status = document.querySelector('[role="status"]')?.textContent ?? '';
    if (!status.includes('All synced')) return false;
    if (!(await indexedDB.databases()).some((d) => d.name === 'dockhand')) return false;
    return new Promise<boolean>((resolve) => {
      const open = indexedDB.open('dockhand');
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const idb = open.result;
        try {
          const get = idb.transaction('meta', 'readonly').objectStore('meta').get('initialLoadDone');
          get.onsuccess = () => resolve((get.result as { value?: unknown } | undefined)?.value === true);
          get.onerror = () => resolve(false);
        } catch {
          resolve(false);
        } finally {
          idb.close();
        }
      };
    });
  });
}

/** Clicks "Sign in" and waits for the first load; answers the seconds from the click to done. */
export async function signInAndLoad(page: Page, timeoutMs = 120_000): Promise<number> {
  const button = page.getByRole('button', { name: 'Sign in' });
  await button.waitFor();
  const started = performance.now();
  await button.click();
  while (!(await firstLoadDone(page))) {
    if (performance.now() - started > timeoutMs) throw new Error(`The first load did not finish within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (performance.now() - started) / 1000;
}

/** What the first load's pull requests cost, as Chromium saw them. */
export interface PullStats {
  requests: number;
  /** Summed from each request's start to its response's last byte: the server's work and the wire. */
  seconds: number;
  /** Response bodies as received. */
  bytes: number;
}

/** The operator's device after its first load, and what that load took. */
export interface LoadedDevice {
  context: BrowserContext;
  page: Page;
  /** From the click on "Sign in" to the first load complete. */
  seconds: number;
  pulls: PullStats;
}

/**
 * A fresh device (new browser context) signed in as the operator and through its first load;
 * made once per run and shared, so the scan section works on the device the load section timed.
 */
export function loadedDevice(log: (line: string) => void): Promise<LoadedDevice> {
  device ??= (async () => {
    const { url } = await benchServer(log);
    const { context, page } = await freshPage(url);
    const pulls: PullStats = { requests: 0, seconds: 0, bytes: 0 };
    const counting: Promise<void>[] = [];
    const onFinished = (request: Request) => {
      if (!new URL(request.url()).pathname.startsWith('/api/sync/pull')) return;
      counting.push((async () => {
        const timing = request.timing();
        const sizes = await request.sizes();
        pulls.requests++;
        if (timing.responseEnd >= 0) pulls.seconds += timing.responseEnd / 1000;
        pulls.bytes += sizes.responseBodySize;
      })());
    };
    page.on('requestfinished', onFinished);
    try {
      const seconds = await signInAndLoad(page);
      log(`first load complete in ${seconds.toFixed(2)} s`);
      return { context, page, seconds, pulls };
    } finally {
      page.off('requestfinished', onFinished);
      await Promise.allSettled(counting);
    }
  })();
  return device;
}

/** Closes whatever this run opened and removes its temp folders. */
export async function closeClientHarness(): Promise<void> {
  const [b, s] = [browser, server];
  browser = server = built = device = undefined;
  await Promise.allSettled([b?.then((x) => x.close())]);
  await Promise.allSettled([s?.then((x) => x.close())]);
  await Promise.allSettled(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
