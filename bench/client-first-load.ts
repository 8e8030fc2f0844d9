// Benchmark section "Client: first load": a fresh device signs in against the large warehouse and
// takes in its whole slice (the first pull into IndexedDB), timed in Chromium on the built app.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TABLES, type TableName } from '../src/domain/entities';
import { benchServer, loadedDevice, WAREHOUSE_SIZE } from './client-harness';
import type { Row, SectionResult } from './table';

/** A device on the floor is usable within this many seconds of its first sign-in. */
const TARGET_SECONDS = 5;

/** The tables a device keeps (IndexedDB object stores named as the domain names them). */
const SYNCED_TABLES = Object.keys(TABLES) as TableName[];

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export async function clientFirstLoad(log: (line: string) => void): Promise<SectionResult> {
  const server = await benchServer(log);
  // The device stays open for the scan section; only this section's CDP session is closed here.
  const { context, page, seconds, pulls } = await loadedDevice(log);
  const cdp = await context.newCDPSession(page);
  try {

    // Read first: counting below loads every block into the page.
    const heap = await cdp.send('Runtime.getHeapUsage');
    const gcStarted = performance.now();
    await cdp.send('HeapProfiler.collectGarbage');
    const heapAfterGc = await cdp.send('Runtime.getHeapUsage');
    log(`heap ${mib(heap.usedSize)} used, ${mib(heapAfterGc.usedSize)} after a GC (${(performance.now() - gcStarted).toFixed(0)} ms)`);

    const { counts, blocks, overlaid } = await page.evaluate(async (tables) => {
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('dockhand');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('IndexedDB would not open'));
      });
      try {
        // The server's rows are in `base` blocks (src/storage/rows). A first load writes no local
        // changes, so the per-row overlay tables must be empty: their entries are counted apart.
        const tx = idb.transaction(['base', ...tables], 'readonly');
        const stored = await new Promise<{ table: string; rows: unknown[] }[]>((resolve, reject) => {
          const request = tx.objectStore('base').getAll();
          request.onsuccess = () => resolve(request.result as { table: string; rows: unknown[] }[]);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
        const counts: Record<string, number> = Object.fromEntries(tables.map((name) => [name, 0]));
        for (const block of stored) counts[block.table] = (counts[block.table] ?? 0) + block.rows.length;
        const overlaid = await Promise.all(tables.map((name) => new Promise<number>((resolve, reject) => {
          const request = tx.objectStore(name).count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('count failed'));
        })));
        return { counts, blocks: stored.length, overlaid: overlaid.reduce((a, b) => a + b, 0) };
      } finally {
        idb.close();
      }
    }, SYNCED_TABLES);
    const estimate = await page.evaluate(async () => {
      const e = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
      return { usage: e.usage ?? null, indexedDB: e.usageDetails?.indexedDB ?? null, caches: e.usageDetails?.caches ?? null };
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const mismatched = SYNCED_TABLES.filter((t) => (counts[t] ?? 0) !== (server.rowCounts[t] ?? 0));
    const pass = seconds <= TARGET_SECONDS;
    const rows: Row[] = [
      { measure: 'Sign in → first load complete', value: `${seconds.toFixed(2)} s`, target: `≤ ${TARGET_SECONDS} s`, result: pass ? 'pass' : 'FAIL' },
      { measure: 'rows loaded into IndexedDB', value: thousands(total), target: '', result: mismatched.length === 0 ? 'all the server has' : `${mismatched.length} tables differ` },
      { measure: 'base blocks (IndexedDB records)', value: thousands(blocks), target: '', result: '' },
      { measure: 'overlay entries (local changes)', value: thousands(overlaid), target: '', result: overlaid === 0 ? '' : 'a first load writes none' },
      { measure: 'rows/s', value: thousands(total / seconds), target: '', result: '' },
      { measure: 'pull requests (request → last byte, summed)', value: `${pulls.requests} in ${pulls.seconds.toFixed(2)} s`, target: '', result: `${Math.round((pulls.seconds / seconds) * 100)}% of the load` },
      { measure: 'pull response bodies', value: mib(pulls.bytes), target: '', result: '' },
      ...SYNCED_TABLES.filter((t) => (counts[t] ?? 0) > 0 || (server.rowCounts[t] ?? 0) > 0).map((t) => ({
        measure: `  ${t}`, value: thousands(counts[t] ?? 0), target: '', result: counts[t] === server.rowCounts[t] ? '' : `server has ${thousands(server.rowCounts[t] ?? 0)}`,
      })),
      { measure: 'IndexedDB size (storage estimate)', value: estimate.indexedDB === null ? 'not reported' : mib(estimate.indexedDB), target: '', result: '' },
      { measure: 'origin storage in all (IndexedDB + caches)', value: estimate.usage === null ? 'not reported' : mib(estimate.usage), target: '', result: '' },
      { measure: 'JS heap used after load', value: mib(heap.usedSize), target: '', result: '' },
      { measure: 'JS heap used after a forced GC', value: mib(heapAfterGc.usedSize), target: '', result: '' },
    ];
    return {
      rows,
      notes: [
        `Warehouse: largeWarehouse(${JSON.stringify(WAREHOUSE_SIZE)}) plus the scan benchmark's two pick lists, generated in ${server.generateSeconds.toFixed(1)} s and loaded into PGlite on disk (temp folder) in ${server.loadSeconds.toFixed(1)} s; the real server (buildApp) serving the production build on loopback.`,
        'Measured: a fresh Chromium context (empty IndexedDB, no service worker) signs in as operator/1111; the clock runs from the click on "Sign in" until the status reads "All synced" and IndexedDB meta initialLoadDone is true (polled every 20 ms). Row counts are the rows the `base` blocks hold per table, checked against the server\'s sync feed; the per-row overlay tables hold local changes only, so after a first load they must be empty. Pull requests: Playwright\'s request timing, start to the response\'s last byte (server work + loopback), summed; the engine requests the next page while it writes one (and queues that page’s transaction behind the one committing), so this time overlaps the device applying pages (parse, validate, IndexedDB writes) rather than adding to it.',
        'Storage: navigator.storage.estimate() (Chromium\'s usageDetails.indexedDB; the total also counts the service worker\'s precache). Heap: CDP Runtime.getHeapUsage of the page, as loaded and after HeapProfiler.collectGarbage, read before the rows are counted.',
        `Target: first load ≤ ${TARGET_SECONDS} s — ${pass ? 'PASS' : 'FAIL'} (${seconds.toFixed(2)} s).`,
        `Load average (1 min) ${loadavg()[0]!.toFixed(2)} after the load, on ${cpus().length} cores shared by Chromium, the server and the bench (and whatever else ran on the machine).`,
      ],
    };
  } finally {
    await cdp.detach();
  }
}
