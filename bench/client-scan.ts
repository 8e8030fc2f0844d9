// Benchmark section "Client: scan to confirmed": 200 wedge scans on the pick screen of a device
// holding the large warehouse, each timed from the Enter keydown to its confirmation painted and
// committed to IndexedDB (the app's `dockhand:scan` / `dockhand:confirmed` performance marks), set
// against the same picks validated by a server round trip (`POST /api/sync/push`) from the page.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { DUPLICATE_WINDOW_MS } from '../src/scanner/wedge';
import { BENCH_LINE_QTY, benchServer, loadedDevice, OPERATOR, WAREHOUSE_SIZE, type BenchPick } from './client-harness';
import { summary, type Row, type SectionResult } from './table';

/** Item scans timed on each path. */
const SCANS = 200;
/** A scan must be confirmed on screen and on disk within this, at the 95th percentile. */
const TARGET_LOCAL_P95_MS = 25;
/** …and be at least this many times faster than waiting for the server. */
const TARGET_SPEEDUP = 10;
/** Extra wait past the wedge's duplicate window before the next identical scan's Enter. */
const WINDOW_MARGIN_MS = 30;
/** Longest wait for one scan's confirmation before the run is called broken. */
const SCAN_TIMEOUT_MS = 15_000;

const ms = (value: number) => Number(value.toFixed(1));
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** The latest start time of a performance mark in the page, or -1. */
function lastMark(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? -1, name);
}

/**
 * Waits for a `dockhand:confirmed` mark later than `after`, told by a PerformanceObserver. Not
 * Playwright's `waitForFunction`: that polls in requestAnimationFrame, so the page would draw a
 * frame every 16.7 ms all through the scan, as no device on the floor does while it waits for
 * one, and the confirmation's frame would queue behind the harness's own.
 */
function confirmedAfter(page: Page, after: number, timeoutMs: number): Promise<void> {
  return page.evaluate(({ after, timeoutMs }) => new Promise<void>((resolve, reject) => {
    // No named helpers in here: the bench's TypeScript loader would wrap them in a __name() the page lacks.
    if (performance.getEntriesByName('dockhand:confirmed', 'mark').some((entry) => entry.startTime > after)) return resolve();
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no confirmation within ${timeoutMs} ms`));
    }, timeoutMs);
    const observer = new PerformanceObserver((list) => {
      if (!list.getEntriesByName('dockhand:confirmed').some((entry) => entry.startTime > after)) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    });
    observer.observe({ type: 'mark' });
  }), { after, timeoutMs });
}

/** The product's retail barcode as a wedge reads it (EAN-13 from its GTIN-14 key), else its first code. */
function retailBarcode(pick: BenchPick): string {
  const gtin14 = pick.product.barcodes.find((code) => /^0\d{13}$/.test(code));
  return gtin14 ? gtin14.slice(1) : pick.product.barcodes[0]!;
}

/** One on-screen scan's times from its Enter keydown: transaction committed, confirmation painted. */
interface ScanTiming {
  committed: number;
  painted: number;
}

/** Scans on the pick screen; answers each scan's Enter-keydown → committed and → painted times. */
async function scanOnScreen(page: Page, pick: BenchPick, log: (line: string) => void): Promise<ScanTiming[]> {
  const field = page.getByLabel('Scan', { exact: true });
  await field.waitFor();
  const current = page.getByRole('region', { name: 'Current line' });

  // The bin first: confirms the bin, commits nothing.
  await field.pressSequentially(pick.bin.code);
  await field.press('Enter');
  await current.getByText('confirmed').waitFor();

  const barcode = retailBarcode(pick);
  const samples: ScanTiming[] = [];
  let lastScan = await lastMark(page, 'dockhand:scan');
  let lastConfirmed = await lastMark(page, 'dockhand:confirmed');
  let lastEnterAt = 0;
  for (let i = 0; i < SCANS; i++) {
    // The same barcode again inside the wedge's window is a double read, not a recount: a picker
    // pulls the trigger again after it. The pause is not measured (the clock starts at Enter).
    const wait = lastEnterAt + DUPLICATE_WINDOW_MS + WINDOW_MARGIN_MS - Date.now();
    if (wait > 0) await sleep(wait);
    // Then the scan as a wedge sends it: the barcode's keys, and the terminator straight after.
    await field.pressSequentially(barcode);
    await field.press('Enter');
    lastEnterAt = Date.now();
    try {
      await confirmedAfter(page, lastConfirmed, SCAN_TIMEOUT_MS);
    } catch (error) {
      const shown = await page.locator('.floor-messages').innerText().catch(() => '');
      throw new Error(`Scan ${i + 1} was not confirmed within ${SCAN_TIMEOUT_MS / 1000} s (screen says "${shown}").`, { cause: error });
    }
    const [scan, committed, confirmed] = await page.evaluate(() =>
      ['dockhand:scan', 'dockhand:committed', 'dockhand:confirmed'].map((n) => performance.getEntriesByName(n, 'mark').at(-1)?.startTime ?? -1),
    );
    if (!(scan! > lastScan) || !(committed! > scan!) || !(confirmed! >= committed!)) {
      throw new Error(`Scan ${i + 1}: marks out of step (scan ${scan}, committed ${committed}, confirmed ${confirmed}).`);
    }
    samples.push({ committed: committed! - scan!, painted: confirmed! - scan! });
    lastScan = scan!;
    lastConfirmed = confirmed!;
    if ((i + 1) % 50 === 0) log(`${i + 1} scans confirmed on screen`);
  }
  return samples;
}

/** A server-validated pick's times from its request: the JSON answer, and that answer painted. */
interface RoundTripTimes {
  answered: number[];
  painted: number[];
}

/**
 * The same picks, each pushed from the page as a second device and answered by the server, at
 * most one per pause as the scans on screen. Each answer is then shown on screen and timed to the
 * same paint mark as a scan's confirmation: the scan as a server-validated app would confirm it.
 */
function pushFromPage(page: Page, pick: BenchPick): Promise<RoundTripTimes & { applied: number; firstProblem: string | null }> {
  return page.evaluate(async ({ n, user, line, pauseMs, timeoutMs }) => {
    const deviceId = `bench-round-trip-${crypto.randomUUID()}`;
    const session = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, deviceId }),
    });
    if (session.status !== 200) throw new Error(`Sign-in answered ${session.status}: ${await session.text()}`);
    const { token } = (await session.json()) as { token: string };
    const answered: number[] = [];
    const painted: number[] = [];
    let applied = 0;
    let firstProblem: string | null = null;
    // In view, as a confirmation is: text below the fold would cost no paint.
    const shown = document.createElement('output');
    shown.style.cssText = 'position: fixed; top: 0; left: 0';
    document.body.append(shown);
    let lastStarted = -Infinity;
    for (let seq = 1; seq <= n; seq++) {
      // As the scans: the next one no sooner than the pause after the last one started.
      const wait = lastStarted + pauseMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const body = JSON.stringify({
        mutations: [{
          id: crypto.randomUUID(), seq, type: 'pick', version: 1,
          args: { pickLineId: line.pickLineId, locationId: line.locationId, productId: line.productId, lot: null, qty: 1 },
          clientTime: new Date().toISOString(),
        }],
      });
      const started = performance.now();
      lastStarted = started;
      const response = await fetch('/api/sync/push', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const answer = (await response.json()) as { results?: { status: string; code: string | null; message: string | null }[]; message?: string };
      answered.push(performance.now() - started);
      const result = answer.results?.[0];
      if (response.status === 200 && result?.status === 'applied') applied++;
      else firstProblem ??= `HTTP ${response.status}: ${result ? `${result.code ?? ''} ${result.message ?? ''}` : (answer.message ?? '')}`;
      // Shown, then timed as the pick screen times its confirmation (pick-screen.tsx `afterFrame`):
      // a user-blocking task queued from the frame that renders it.
      shown.textContent = `${applied} picked`;
      await new Promise<void>((resolve) => requestAnimationFrame(() => {
        const scheduler = (globalThis as { scheduler?: { postTask(task: () => void, options: { priority: string }): Promise<void> } }).scheduler;
        if (scheduler) void scheduler.postTask(resolve, { priority: 'user-blocking' });
        else setTimeout(resolve);
      }));
      painted.push(performance.now() - started);
    }
    shown.remove();
    return { answered, painted, applied, firstProblem };
  }, {
    pauseMs: DUPLICATE_WINDOW_MS + WINDOW_MARGIN_MS,
    timeoutMs: SCAN_TIMEOUT_MS,
    n: SCANS,
    user: OPERATOR,
    line: { pickLineId: pick.roundTrip.pickLineId, locationId: pick.bin.id, productId: pick.product.id },
  });
}

/**
 * The floor under the on-device figure: one small put in its own IndexedDB transaction, awaited
 * to `complete`, with strict durability (flushed to disk, as the outbox writes) and relaxed, in a
 * scratch database deleted afterwards.
 */
function idbReference(page: Page, n: number): Promise<{ strict: number[]; relaxed: number[] }> {
  return page.evaluate(async (count) => {
    const name = 'dockhand-bench-probe';
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('probe');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB would not open'));
    });
    // No named helpers in here: the bench's TypeScript loader would wrap them in a __name() the page lacks.
    const samples = { strict: [] as number[], relaxed: [] as number[] };
    try {
      for (const durability of ['strict', 'relaxed'] as const) {
        for (let i = 0; i < count; i++) {
          const started = performance.now();
          await new Promise<void>((resolve, reject) => {
            const tx = idb.transaction('probe', 'readwrite', { durability });
            tx.objectStore('probe').put({ i, at: Date.now(), text: 'x'.repeat(200) }, i);
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
          });
          samples[durability].push(performance.now() - started);
        }
      }
      return samples;
    } finally {
      idb.close();
      await new Promise<void>((resolve) => {
        const del = indexedDB.deleteDatabase(name);
        del.onsuccess = del.onerror = del.onblocked = () => resolve();
      });
    }
  }, n);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(100);
  }
}

export async function clientScan(log: (line: string) => void): Promise<SectionResult> {
  const server = await benchServer(log);
  const { pick, db } = server;
  const loadBefore = loadavg()[0]!;
  const { page, seconds: loadSeconds } = await loadedDevice(log);
  log(`opening ${pick.screen.number} on the device that loaded the warehouse`);
  await page.goto(`${server.url}/pick/${encodeURIComponent(pick.screen.pickListId)}`);
  const local = await scanOnScreen(page, pick, log);

  // The screen shows what was scanned, the device holds it, and the server got each exactly once.
  const left = await page.getByRole('region', { name: 'Current line' }).locator('.pick-line-qty-value').innerText();
  if (Number(left) !== BENCH_LINE_QTY - SCANS) throw new Error(`The screen shows ${left} left to pick, not ${BENCH_LINE_QTY - SCANS}.`);
  await waitFor(async () => (await page.getByRole('status').first().innerText()).includes('All synced'), 'the scans to sync');
  const picked = async (lineId: string) => (await db.query<{ picked_qty: number }>('select picked_qty from pick_lines where id = $1', [lineId])).rows[0]?.picked_qty;
  await waitFor(async () => (await picked(pick.screen.pickLineId)) === SCANS, `the server to hold ${SCANS} picks on ${pick.screen.pickLineId}`);

  log(`pushing ${SCANS} picks from the page, one request each`);
  const remote = await pushFromPage(page, pick);
  if (remote.applied !== SCANS) throw new Error(`${remote.applied} of ${SCANS} pushed picks were applied (first problem: ${remote.firstProblem}).`);
  const serverPicked = await picked(pick.roundTrip.pickLineId);
  if (serverPicked !== SCANS) throw new Error(`The server holds ${serverPicked} picks on ${pick.roundTrip.pickLineId}, not ${SCANS}.`);

  const reference = await idbReference(page, 100);

  const l = summary(local.map((t) => t.painted));
  const c = summary(local.map((t) => t.committed));
  const paintWait = summary(local.map((t) => t.painted - t.committed));
  const r = summary(remote.answered);
  const rp = summary(remote.painted);
  // Like for like: the scan confirmed on screen either way, on the device or by the server.
  const speedup = rp.p95 / l.p95;
  const localPass = l.p95 <= TARGET_LOCAL_P95_MS;
  const speedupPass = speedup >= TARGET_SPEEDUP;
  const rows: Row[] = [
    {
      path: 'on device: Enter → confirmed on screen, committed', scans: local.length,
      'p50 ms': ms(l.p50), 'p95 ms': ms(l.p95), 'max ms': ms(l.max),
      target: `p95 ≤ ${TARGET_LOCAL_P95_MS} ms`, result: localPass ? 'pass' : 'FAIL',
    },
    {
      path: '  of which Enter → committed (lookup, rule, IndexedDB)', scans: local.length,
      'p50 ms': ms(c.p50), 'p95 ms': ms(c.p95), 'max ms': ms(c.max), target: '', result: '',
    },
    {
      path: '  of which committed → painted (render, next frame)', scans: local.length,
      'p50 ms': ms(paintWait.p50), 'p95 ms': ms(paintWait.p95), 'max ms': ms(paintWait.max), target: '', result: '',
    },
    {
      path: 'server round trip: push → answer painted', scans: remote.painted.length,
      'p50 ms': ms(rp.p50), 'p95 ms': ms(rp.p95), 'max ms': ms(rp.max),
      target: '', result: '',
    },
    {
      path: '  of which push → JSON answer (loopback)', scans: remote.answered.length,
      'p50 ms': ms(r.p50), 'p95 ms': ms(r.p95), 'max ms': ms(r.max),
      target: '', result: '',
    },
    {
      path: 'round trip (painted) p95 ÷ on-device p95', scans: '',
      'p50 ms': '', 'p95 ms': `${speedup.toFixed(1)}×`, 'max ms': '',
      target: `≥ ${TARGET_SPEEDUP}×`, result: speedupPass ? 'pass' : 'FAIL',
    },
    ...(['strict', 'relaxed'] as const).map((durability) => {
      const t = summary(reference[durability]);
      return {
        path: `reference: one-put IndexedDB transaction, ${durability}`, scans: reference[durability].length,
        'p50 ms': ms(t.p50), 'p95 ms': ms(t.p95), 'max ms': ms(t.max), target: '', result: '',
      };
    }),
  ];
  const loadAfter = loadavg()[0]!;
  return {
    rows,
    notes: [
      `Device: the Chromium context of "Client: first load" (made here if that section did not run): signed in as operator, holding the whole largeWarehouse(${JSON.stringify(WAREHOUSE_SIZE)}) (first load ${loadSeconds.toFixed(1)} s), on the built app served by the real server (PGlite on disk) over loopback.`,
      `On device: ${pick.screen.number}, one line of ${BENCH_LINE_QTY} × ${pick.product.sku} in bin ${pick.bin.code}; the bin scanned, then ${SCANS} item scans (EAN-13) typed into "Scan" as a wedge sends them: a pause until ${DUPLICATE_WINDOW_MS + WINDOW_MARGIN_MS} ms after the last Enter (the wedge's ${DUPLICATE_WINDOW_MS} ms duplicate window; not counted), then the barcode's keys (pressSequentially) and Enter straight after. Each time runs from the Enter keydown's event.timeStamp (mark dockhand:scan in src/scanner/wedge-source.ts) to a task queued (user-blocking, scheduler.postTask) from the frame that renders the confirmation after submitMutation's strict-durability IndexedDB transaction committed in the submission worker (mark dockhand:confirmed in src/features/pick/pick-screen.tsx): lookup, hand-over to the worker, local rule, commit, answer, render and paint; the rows below it split that at mark dockhand:committed (set when the page has the worker's answer), so the device's own work shows apart from the wait for the next frame. The bench learns of each confirmation from a PerformanceObserver, so it draws no frames of its own in the page (Playwright's waitForFunction would poll in requestAnimationFrame). The device's own sync (a push once a burst of scans pauses for 1 s, and the pull after it) ran as in use.`,
      `Round trip: then, from the same page, a second session (POST /api/session) pushes ${SCANS} equivalent picks of 1 unit to an identical second line (${pick.roundTrip.number}), consecutive seqs, one per request, each at least ${DUPLICATE_WINDOW_MS + WINDOW_MARGIN_MS} ms after the last one started, as the scans; timed from fetch() to the parsed JSON, and on to the answer written at the top of the screen and painted (the same mark as a scan's confirmation: a user-blocking task queued from the frame). The ratio compares the painted figures, the scan confirmed on screen either way; the round trip leaves out what the on-device time includes before its request would go (the keydown's handling, the scan's lookup, building the request), in its favour. All ${remote.applied} applied; the server also holds the ${SCANS} on-device picks, each once.`,
      'Reference rows: 100 transactions each putting one small record into a scratch IndexedDB database of the same page, awaited to complete, strict durability (as the outbox writes: flushed to disk) and relaxed — the floor the disk sets under every committed scan.',
      `Targets: on-device p95 ≤ ${TARGET_LOCAL_P95_MS} ms — ${localPass ? 'PASS' : 'FAIL'} (${ms(l.p95)} ms); ≥ ${TARGET_SPEEDUP}× faster than the round trip at p95 — ${speedupPass ? 'PASS' : 'FAIL'} (${speedup.toFixed(1)}×).`,
      `Load average (1 min) ${loadBefore.toFixed(2)} before the device, ${loadAfter.toFixed(2)} after, on ${cpus().length} cores shared by Chromium, the server and the bench (and whatever else ran on the machine).`,
    ],
  };
}
