// Benchmark section "sse-fanout": 50 supervisors' live streams (GET /api/supervisor/events) and 50
// devices pushing one scan per request, on PGlite (on disk) and PostgreSQL: how long from a push's
// commit to its event at every stream. Each event carries when its row was written, just before
// its transaction's commit, in the same host's clock; that is where each delay is measured from.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../server/app';
import { migrate } from '../server/db/migrate';
import { largeWarehouse } from '../server/seed/large';
import { loadWarehouse } from '../server/seed/load';
import type { WarehouseData } from '../server/seed/types';
import { FLOOR_EVENTS_PATH } from '../src/domain/floor-events';
import { readEventStream } from '../src/sync/event-stream';
import { benchBackends, pglite, postgres, type Backend } from './backends';
import { summary, type Row, type SectionResult } from './table';

const SIZE = { products: 2000, bins: 1000, orders: 400 };
/** The target for the 95th percentile. */
const TARGET_P95_MS = 500;

interface Settings {
  supervisors: number;
  devices: number;
  seconds: number;
  /** Each device's wait between its scans, ms: a picker scans every couple of seconds, not back to back. */
  scanEveryMs: number;
}

function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  const whole = (name: string, fallback: number) => {
    const value = env[name] ? Number(env[name]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0, not "${env[name]}".`);
    return value;
  };
  return {
    supervisors: whole('BENCH_SSE_SUPERVISORS', 50),
    devices: whole('BENCH_SSE_DEVICES', 50),
    seconds: whole('BENCH_SSE_SECONDS', 10),
    scanEveryMs: whole('BENCH_SSE_SCAN_EVERY_MS', 500),
  };
}

/** A product in two bins, not lot-tracked: a device moves one unit back and forth between them. */
function moveTargets(data: WarehouseData): { productId: string; binA: string; binB: string }[] {
  const bins = new Map<string, string[]>();
  for (const row of data.rows.stock ?? []) {
    if (row.lot === null && row.lpn === null && row.qty >= 10) bins.set(row.productId, [...(bins.get(row.productId) ?? []), row.locationId]);
  }
  const lotFree = new Set((data.rows.products ?? []).filter((p) => !p.lotTracked).map((p) => p.id));
  return [...bins.entries()]
    .filter(([productId, at]) => lotFree.has(productId) && at.length === 2 && at[0] !== at[1])
    .map(([productId, [binA, binB]]) => ({ productId, binA: binA!, binB: binB! }));
}

async function signIn(baseUrl: string, username: string, pin: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, pin, deviceId: `bench-${randomUUID()}` }),
  });
  if (response.status !== 200) throw new Error(`Sign-in of ${username} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function* text(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield decoder.decode(value, { stream: true });
  }
}

async function benchBackend(backend: Backend, s: Settings, log: (line: string) => void, rows: Row[], notes: string[]): Promise<void> {
  const opened = await backend.open();
  if ('skipped' in opened) {
    notes.push(opened.skipped);
    return;
  }
  const { db } = opened;
  const closing = new AbortController();
  try {
    const today = new Date().toISOString().slice(0, 10);
    await migrate(db);
    const data = largeWarehouse({ ...SIZE, today });
    await loadWarehouse(db, data);
    const app = await buildApp({ db, today: () => today });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('The server did not listen on a TCP port.');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    try {
      const targets = moveTargets(data).slice(0, s.devices);
      if (targets.length < s.devices) throw new Error(`The warehouse has ${targets.length} products fit for the benchmark; ${s.devices} devices need one each.`);
      // One after another: sign-in limits PIN checks in flight per account (server/sign-in-guard.ts).
      const supervisorTokens: string[] = [];
      for (let i = 0; i < s.supervisors; i++) supervisorTokens.push(await signIn(baseUrl, 'supervisor', '2222'));
      const deviceTokens: string[] = [];
      for (let i = 0; i < s.devices; i++) deviceTokens.push(await signIn(baseUrl, 'operator', '1111'));

      const delays: number[] = [];
      let measuring = false;
      let ready = 0;
      const streams = supervisorTokens.map(async (token) => {
        const response = await fetch(`${baseUrl}${FLOOR_EVENTS_PATH}`, { headers: { authorization: `Bearer ${token}` }, signal: closing.signal });
        if (response.status !== 200 || !response.body) throw new Error(`A stream answered ${response.status}.`);
        for await (const event of readEventStream(text(response.body))) {
          if (event.event === 'reset') ready++;
          if (event.event !== 'mutation-applied' || !measuring) continue;
          delays.push(Date.now() - Date.parse((JSON.parse(event.data) as { at: string }).at));
        }
      });
      for (const stream of streams) stream.catch(() => undefined);
      while (ready < s.supervisors) await new Promise((resolve) => setTimeout(resolve, 10));
      log(`${backend.name}: ${s.supervisors} streams open; ${s.devices} devices scanning every ${s.scanEveryMs} ms for ${s.seconds} s`);

      let pushes = 0;
      let refused = 0;
      measuring = true;
      const end = performance.now() + s.seconds * 1000;
      await Promise.all(targets.map(async (target, index) => {
        const headers = { authorization: `Bearer ${deviceTokens[index]}`, 'content-type': 'application/json' };
        // Spread the devices' first scans over one interval, as a floor's are.
        await new Promise((resolve) => setTimeout(resolve, (index / s.devices) * s.scanEveryMs));
        for (let seq = 1; performance.now() < end; seq++) {
          const started = performance.now();
          const forward = seq % 2 === 1;
          const response = await fetch(`${baseUrl}/api/sync/push`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ mutations: [{ id: randomUUID(), seq, type: 'move', version: 1, clientTime: new Date().toISOString(),
              args: { productId: target.productId, fromLocationId: forward ? target.binA : target.binB, toLocationId: forward ? target.binB : target.binA, qty: 1 } }] }),
          });
          const answer = (await response.json()) as { results?: { status: string }[] };
          if (response.status === 200 && answer.results?.[0]?.status === 'applied') pushes++;
          else refused++;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, s.scanEveryMs - (performance.now() - started))));
        }
      }));
      // The last pushes' events, still on their way.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      measuring = false;
      const { p50, p95, max } = summary(delays);
      const expected = pushes * s.supervisors;
      rows.push({
        backend: backend.name,
        supervisors: s.supervisors,
        devices: s.devices,
        'scans applied': pushes,
        'events received': delays.length,
        'p50 ms': Math.round(p50),
        'p95 ms': Math.round(p95),
        'max ms': Math.round(max),
        [`p95 ≤ ${TARGET_P95_MS} ms`]: p95 <= TARGET_P95_MS ? 'yes' : 'no',
      });
      if (delays.length !== expected) notes.push(`${backend.name}: ${delays.length} events received of ${expected} (${pushes} scans × ${s.supervisors} streams).`);
      if (refused > 0) notes.push(`${backend.name}: ${refused} pushes were not applied.`);
      log(`${backend.name}: ${pushes} scans, ${delays.length} events, p50 ${p50} ms, p95 ${p95} ms`);
    } finally {
      closing.abort();
      await app.close();
    }
  } finally {
    await opened.cleanup();
  }
}

export async function sseFanout(log: (line: string) => void): Promise<SectionResult> {
  const s = settings();
  const { backends, pgUrl } = benchBackends();
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const id of backends) await benchBackend(id === 'pglite' ? pglite : postgres(pgUrl), s, log, rows, notes);
  notes.push(
    `Delay: from the event row's time (written last in the push's transaction, just before its commit; the same host's clock) to the event parsed at each stream. Every stream hears every scan (the supervisor sees every owner).`,
    `The server, the ${s.supervisors} streams and the ${s.devices} devices share one Node process; each device moves one unit per push, one push every ${s.scanEveryMs} ms, for ${s.seconds} s (BENCH_SSE_SUPERVISORS, BENCH_SSE_DEVICES, BENCH_SSE_SECONDS, BENCH_SSE_SCAN_EVERY_MS, BENCH_BACKENDS).`,
  );
  return { rows, notes };
}
