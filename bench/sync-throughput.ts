// Benchmark section "Sync push throughput": a real server on a loopback port, 1…50 simulated
// scanners each pushing one mutation per request, on PGlite (on disk) and PostgreSQL, set against
// the raw single-row commit rate of the same database.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../server/app';
import type { Db, Queryable } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { largeWarehouse } from '../server/seed/large';
import { loadWarehouse } from '../server/seed/load';
import type { WarehouseData } from '../server/seed/types';
import type { ClientDevice, ClientMessage, ClientPlan, ClientReport } from './sync-clients';
import { benchBackends, pglite as pgliteBackend, postgres as postgresBackend, type Backend as BenchBackend } from './backends';
import { percentile, type Row, type SectionResult } from './table';

/** Small enough to load in a second or two; the push path touches a handful of rows whatever the size. */
const SIZE = { products: 2000, bins: 1000, orders: 400 };
const USER = { username: 'operator', pin: '1111' };

interface Settings {
  seconds: number;
  warmupSeconds: number;
  devices: number[];
  backends: string[];
  pgUrl: string;
}

function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  const number = (name: string, fallback: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, not "${env[name]}".`);
    return value;
  };
  const devices = (env.BENCH_DEVICES ?? '1,10,50').split(',').map((s) => Number(s.trim()));
  if (devices.some((n) => !Number.isInteger(n) || n < 1 || n > 500)) throw new Error(`BENCH_DEVICES must list device counts 1–500, like "1,10,50", not "${env.BENCH_DEVICES}".`);
  const { backends, pgUrl } = benchBackends(env);
  return {
    seconds: number('BENCH_SECONDS', 5),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 1),
    devices,
    backends,
    pgUrl,
  };
}

/** What the server did for the pushes of one cell, counted at the Db interface it was given. */
interface DbStats {
  statements: number;
  transactions: number;
  transactionMs: number;
}

/** The Db with its statements and transactions counted and timed (begin/commit count as statements: each is a round trip). */
function instrument(db: Db): { db: Db; stats: DbStats } {
  const stats: DbStats = { statements: 0, transactions: 0, transactionMs: 0 };
  const counted = (q: Queryable): Queryable => ({
    query: <R>(sql: string, params?: unknown[]) => {
      stats.statements++;
      return q.query<R>(sql, params);
    },
  });
  const inner = counted(db);
  return {
    stats,
    db: {
      kind: db.kind,
      query: inner.query,
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      transaction: async (fn) => {
        const started = performance.now();
        stats.transactions++;
        stats.statements += 2;
        try {
          return await db.transaction((tx) => fn(counted(tx)));
        } finally {
          stats.transactionMs += performance.now() - started;
        }
      },
    },
  };
}

interface Backend extends BenchBackend {
  /** Concurrency levels the raw rate is measured at; PGlite runs one transaction at a time. */
  rawConcurrency(devices: number[]): number[];
}

const pglite: Backend = { ...pgliteBackend, rawConcurrency: () => [1] };
const postgres = (url: string): Backend => ({ ...postgresBackend(url), rawConcurrency: (devices) => [...new Set([1, ...devices])] });

/** A device's product: not lot-tracked (a move then needs no lot), stocked in two different bins. */
function moveTargets(data: WarehouseData): Omit<ClientDevice, 'token'>[] {
  const bins = new Map<string, string[]>();
  for (const row of data.rows.stock ?? []) {
    if (row.lot === null && row.lpn === null && row.qty >= 10) bins.set(row.productId, [...(bins.get(row.productId) ?? []), row.locationId]);
  }
  const lotFree = new Set((data.rows.products ?? []).filter((p) => !p.lotTracked).map((p) => p.id));
  return [...bins.entries()]
    .filter(([productId, at]) => lotFree.has(productId) && at.length === 2 && at[0] !== at[1])
    .map(([productId, [binA, binB]]) => ({ productId, binA: binA!, binB: binB! }));
}

async function signIn(baseUrl: string, deviceId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...USER, deviceId }),
  });
  if (response.status !== 200) throw new Error(`Sign-in for ${deviceId} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Runs the devices in a worker; answers their report and the server thread's busy share while measuring. */
function runClients(plan: ClientPlan): Promise<{ report: ClientReport; serverBusy: number }> {
  const entry = new URL('./sync-clients.ts', import.meta.url).href;
  // tsx's loader is not inherited by workers on Node 20: the worker loads the TypeScript through its API.
  const loader = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(loader, { eval: true, workerData: plan });
  return new Promise((resolve, reject) => {
    let busyFrom: ReturnType<typeof performance.eventLoopUtilization> | undefined;
    let done = false;
    worker.on('message', (message: ClientMessage) => {
      if (message.kind === 'measuring') busyFrom = performance.eventLoopUtilization();
      else {
        done = true;
        const serverBusy = busyFrom ? performance.eventLoopUtilization(busyFrom).utilization : Number.NaN;
        resolve({ report: message.report, serverBusy });
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done) reject(new Error(`The client worker exited (${code}) without a report.`));
    });
  });
}

/** Single-row commits per second, `concurrency` loops at once, through the same Db interface the server uses. */
async function rawRate(db: Db, concurrency: number, s: Settings): Promise<number> {
  const start = performance.now() + s.warmupSeconds * 1000;
  const end = start + s.seconds * 1000;
  let commits = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    while (performance.now() < end) {
      await db.transaction((tx) => tx.query('insert into bench_raw (client, payload) values ($1, $2)', [client, 'raw']));
      const now = performance.now();
      if (now >= start && now <= end) commits++;
    }
  }));
  return commits / s.seconds;
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));

async function benchBackend(backend: Backend, s: Settings, log: (line: string) => void, rows: Row[], notes: string[]): Promise<void> {
  const opened = await backend.open();
  if ('skipped' in opened) {
    notes.push(opened.skipped);
    log(opened.skipped);
    return;
  }
  const { db: plain, where } = opened;
  const { db, stats } = instrument(plain);
  try {
    const today = new Date().toISOString().slice(0, 10);
    let t = performance.now();
    await migrate(plain);
    const data = largeWarehouse({ ...SIZE, today });
    await loadWarehouse(plain, data);
    await plain.exec('create table bench_raw (id bigserial primary key, client integer not null, payload text not null, created_at timestamptz not null default now())');
    log(`${backend.name}: ${where}, warehouse loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const raw = new Map<number, number>();
    for (const concurrency of backend.rawConcurrency(s.devices)) {
      raw.set(concurrency, await rawRate(plain, concurrency, s));
      log(`${backend.name}: raw commits/s at concurrency ${concurrency}: ${raw.get(concurrency)!.toFixed(0)}`);
    }

    const app = await buildApp({ db, today: () => today });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('The server did not listen on a TCP port.');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    try {
      const targets = moveTargets(data);
      const needed = s.devices.reduce((a, b) => a + b, 0);
      if (targets.length < needed) throw new Error(`The warehouse has ${targets.length} products fit for the benchmark; ${needed} devices need one each.`);
      let next = 0;
      for (const n of s.devices) {
        // Each device its own product (and so its own stock rows), as scanners on a floor mostly are.
        const mine = targets.slice(next, next + n);
        next += n;
        t = performance.now();
        const ids = mine.map(() => `bench-${randomUUID()}`);
        // One after another: sign-in holds a failure per PIN check in flight for the account
        // (server/sign-in-guard.ts), so more than five at once for one user are refused by design.
        const devices: ClientDevice[] = [];
        for (const [i, target] of mine.entries()) devices.push({ ...target, token: await signIn(baseUrl, ids[i]!) });
        log(`${backend.name}: ${n} device(s) signed in in ${((performance.now() - t) / 1000).toFixed(1)} s; pushing for ${s.warmupSeconds} + ${s.seconds} s`);

        const before = { ...stats };
        const { report, serverBusy } = await runClients({ baseUrl, devices, warmupMs: s.warmupSeconds * 1000, durationMs: s.seconds * 1000 });
        const pushes = Math.max(1, report.pushes);
        const perPush = (key: keyof DbStats) => (stats[key] - before[key]) / pushes;

        // The server's own record must agree: every result stored, every one applied.
        const stored = await plain.query<{ status: string; n: number }>(
          'select status, count(*)::int as n from mutation_results where device_id = any($1) group by status', [ids]);
        const storedApplied = stored.rows.find((r) => r.status === 'applied')?.n ?? 0;
        const storedOther = stored.rows.filter((r) => r.status !== 'applied').reduce((sum, r) => sum + r.n, 0);
        if (storedApplied !== report.applied || storedOther !== report.rejected) {
          notes.push(`${backend.name} ×${n}: the server stored ${storedApplied} applied / ${storedOther} rejected results, the devices heard ${report.applied} / ${report.rejected}.`);
        }
        if (report.firstProblem) notes.push(`${backend.name} ×${n}: first problem: ${report.firstProblem}`);

        const latencies = report.latencies.slice().sort();
        const rate = latencies.length / s.seconds;
        const rawConcurrency = raw.has(n) ? n : 1;
        const rawRateHere = raw.get(rawConcurrency)!;
        rows.push({
          backend: backend.name,
          devices: n,
          'mutations/s': round(rate),
          'p50 ms': round(percentile(latencies, 50), 1),
          'p99 ms': round(percentile(latencies, 99), 1),
          'raw commits/s': round(rawRateHere),
          'raw conc.': rawConcurrency,
          'sync/raw': round(rate / rawRateHere, 2),
          'rejected+failed': report.rejected + report.failures,
          'SQL/push': round(perPush('statements'), 1),
          'txn ms/push': round(perPush('transactionMs'), 2),
          'server busy': `${Math.round(serverBusy * 100)}%`,
        });
        log(`${backend.name}: ${n} device(s): ${rate.toFixed(0)} mutations/s, ${report.applied} applied, ${report.rejected} rejected, ${report.failures} failed`);
      }
    } finally {
      await app.close();
    }

    // The ledger still sums to the balances and none went negative: the load was valid business.
    const { rows: broken } = await plain.query(
      `select coalesce(s.id, m.stock_id) as id from stock s
       full join (select stock_id, sum(delta)::int as total from stock_movements group by stock_id) m on m.stock_id = s.id
       where coalesce(s.qty, 0) <> coalesce(m.total, 0) or s.qty < 0`,
    );
    notes.push(`${backend.name} (${where}): ledger ${broken.length === 0 ? 'matches every balance' : `DISAGREES with ${broken.length} balances`} after the run.`);
  } finally {
    await opened.cleanup();
  }
}

export async function syncThroughput(log: (line: string) => void): Promise<SectionResult> {
  const s = settings();
  const rows: Row[] = [];
  const notes: string[] = [];
  const backends = [pglite, postgres(s.pgUrl)].filter((b) => s.backends.includes(b.id));
  for (const backend of backends) await benchBackend(backend, s, log, rows, notes);
  notes.push(
    `Each device pushes one move of 1 unit per request, the next as soon as the answer arrives (no think time); ${s.warmupSeconds} s warm-up, ${s.seconds} s measured per cell (BENCH_WARMUP_SECONDS, BENCH_SECONDS, BENCH_DEVICES, BENCH_BACKENDS).`,
    'raw commits/s: begin; insert one row; commit, through the same Db interface, at "raw conc." loops at once (PGlite runs one transaction at a time, so 1). sync/raw = mutations/s ÷ raw commits/s.',
    'SQL/push: statements the server sent per push, begin/commit and the sign-in check included; txn ms/push: mean time in the push transaction, waiting for a pooled connection included (the server\'s pool has 20); server busy: the server thread\'s event-loop utilisation (the devices run in a worker thread).',
  );
  return { rows, notes };
}
