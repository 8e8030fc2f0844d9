// The sync engine and the device's view against the real server in-process (PGlite): first load,
// offline submits, exactly-once push, the race for the last unit, lost responses, and every
// answer that must not count as success.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { expectLedgerMatchesBalances, startTestServer, type TestServer } from '../../test/server/harness';
import { pull } from '../../test/server/client';
import { TODAY } from '../../test/server/fixture';
import { signIn, signOut } from '../features/sign-in/commands';
import { DockhandDb } from '../storage/db';
import { getMeta, setMeta } from '../storage/meta';
import { dexieReader } from '../storage/dexie-reader';
import { submitMutation } from '../storage/outbox';
import { allRows, countRows, getRow, rowsWhere } from '../storage/rows';
import { readSession } from '../storage/session-repo';
import { PENDING_AGE_HEADER, PENDING_COUNT_HEADER } from '../domain/device-health';
import { BACKOFF_CAP_MS, IDLE_PULL_INTERVAL_MS, SCAN_PUSH_DELAY_MS, STUCK_AFTER_MS, STUCK_BACKOFF_CAP_MS, SyncEngine, type Clock, type OnlineSource } from './engine';
import { applyPullPage } from './rebase';
import { createSyncStatusStore, type SyncStatusStore } from './status-store';
import { serverFetch } from '../../test/support/server-fetch';

class FakeClock implements Clock {
  time = Date.parse(`${TODAY}T14:02:00Z`);
  timers = new Map<number, { at: number; run: () => void }>();
  private next = 1;
  now = () => this.time;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, run });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  /** Delays of the timers still waiting. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.at - this.time);
  }
}

interface Device {
  db: DockhandDb;
  engine: SyncEngine;
  clock: FakeClock;
  status: SyncStatusStore;
  token: string;
  /** Swap what the engine's fetch does (the network between device and server). */
  network: { fetch: typeof fetch };
  online: { value: boolean };
}

let server: TestServer;
const devices: Device[] = [];

afterEach(async () => {
  for (const device of devices.splice(0)) {
    device.engine.stop();
    device.db.close();
    await device.db.delete();
  }
  await expectLedgerMatchesBalances(server.db);
  await server.app.close();
});

async function device(username: string, pin: string): Promise<Device> {
  const db = new DockhandDb(`engine-${randomUUID()}`);
  const network = { fetch: serverFetch(server.app) };
  const signedIn = await signIn(username, pin, { db, fetch: network.fetch, isOnline: () => true });
  expect(signedIn.ok).toBe(true);
  const token = (await readSession(db))!.token;
  const clock = new FakeClock();
  const status = createSyncStatusStore();
  const online = { value: true };
  const onlineSource: OnlineSource = { isOnline: () => online.value, subscribe: () => () => {} };
  const engine = new SyncEngine({
    db,
    token,
    fetch: (input, init) => network.fetch(input, init),
    clock,
    random: () => 0.5,
    online: onlineSource,
    onVisible: () => () => {},
    status,
    today: () => TODAY,
    persist: async () => true,
  });
  const made = { db, engine, clock, status, token, network, online };
  devices.push(made);
  return made;
}

const pick = (pickLineId: string, locationId: string, productId: string, qty = 1) =>
  ({ type: 'pick' as const, args: { pickLineId, locationId, productId, qty }, today: TODAY });

async function viewQty(db: DockhandDb, locationId: string, productId: string): Promise<number> {
  const rows = await dexieReader(db).stock({ productId, locationId });
  return rows.reduce((sum, row) => sum + row.qty, 0);
}

async function serverQty(locationId: string, productId: string): Promise<number> {
  const { rows } = await server.db.query<{ qty: number }>(
    'select coalesce(sum(qty), 0)::int as qty from stock where location_id = $1 and product_id = $2',
    [locationId, productId],
  );
  return rows[0]!.qty;
}

/** Picks the server applied (each moves units out of a bin and into staging: two movements). */
async function pickMovements(): Promise<number> {
  const { rows } = await server.db.query<{ n: number }>(
    "select count(distinct mutation_id)::int as n from stock_movements where reason = 'pick'",
  );
  return rows[0]!.n;
}

const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));

describe('SyncEngine', () => {
  it('first load pulls the user’s whole scope, with progress, and marks it done', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    const seen: number[] = [];
    a.status.subscribe((state) => {
      if (state.initialLoad) seen.push(state.initialLoad.rows);
    });
    expect(await a.engine.syncNow()).toEqual({ ok: true });
    expect(await countRows(a.db, 'products')).toBe(3);
    expect(await rowsWhere(a.db, 'locations', 'code', ['A-02-1'])).toHaveLength(1);
    expect(await rowsWhere(a.db, 'products', 'barcodes', ['05012345678900'])).toMatchObject([{ id: 'prd-a2' }]);
    expect(await countRows(a.db, 'pickLines')).toBe(4);
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(5);
    expect(await getMeta(a.db, 'initialLoadDone')).toBe(true);
    expect(await getMeta(a.db, 'cursor')).toMatch(/^\d+\.\d+\.all$/);
    expect(Math.max(...seen)).toBeGreaterThan(20);
    expect(a.status.getState()).toMatchObject({ initialLoad: null, lastError: null, lastSyncAt: a.clock.time, syncing: false });

    const beta = await device('beta', '3333');
    await beta.engine.syncNow();
    expect((await allRows(beta.db, 'products')).map((p) => p.id)).toEqual(['prd-b1']);
  });

  it('queues a scan offline with its effect in the view, then pushes it once on reconnect', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    await a.engine.syncNow();
    a.network.fetch = offline;

    const submitted = await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1', 2));
    expect(submitted).toMatchObject({ ok: true, seq: 1 });
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(3);
    expect(await viewQty(a.db, 'loc-pack', 'prd-a1')).toBe(2);
    expect(await getRow(a.db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 2 });
    expect(await a.db.outbox.count()).toBe(1);
    expect(await a.db.shadow.get('stock/loc-a01|prd-a1||')).toMatchObject({ row: expect.objectContaining({ qty: 5 }) });

    const failed = await a.engine.syncNow();
    expect(failed).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(await a.db.outbox.count()).toBe(1);
    expect(a.engine.backoff).not.toBeNull();

    a.network.fetch = serverFetch(server.app);
    expect(await a.engine.syncNow()).toEqual({ ok: true });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.db.shadow.count()).toBe(0);
    expect(await serverQty('loc-a01', 'prd-a1')).toBe(3);
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(3);
    expect(await viewQty(a.db, 'loc-pack', 'prd-a1')).toBe(2);
    expect(a.engine.backoff).toBeNull();

    await a.engine.syncNow();
    expect(await pickMovements()).toBe(1);
    expect(await getMeta(a.db, 'resultsAfter')).toBe(1);
    expect(await getMeta(a.db, 'nextSeq')).toBe(2);
  });

  it('writes nothing when the local rules refuse a scan', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    await a.engine.syncNow();
    const refused = await submitMutation(a.db, pick('pln-1', 'loc-a02', 'prd-a1'));
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'WRONG_LOCATION', message: 'Wrong bin: go to A-01-1.' } });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.db.shadow.count()).toBe(0);
    expect(await getMeta(a.db, 'nextSeq')).toBeUndefined();
    expect(await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1', 0))).toMatchObject({ ok: false, rejection: { code: 'INVALID_QUANTITY' } });
  });

  it('shows the loser of a race for the last unit under problems and rebuilds its view without it', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    const b = await device('supervisor', '2222');
    await Promise.all([a.engine.syncNow(), b.engine.syncNow()]);
    expect(await submitMutation(a.db, pick('pln-2', 'loc-a02', 'prd-a2'))).toMatchObject({ ok: true });
    expect(await submitMutation(b.db, pick('pln-3', 'loc-a02', 'prd-a2'))).toMatchObject({ ok: true });
    // B also picks something that stays valid: the rebuild must keep it.
    expect(await submitMutation(b.db, pick('pln-1', 'loc-a01', 'prd-a1'))).toMatchObject({ ok: true, seq: 2 });
    expect(await getRow(b.db, 'pickLines', 'pln-3')).toMatchObject({ pickedQty: 1, status: 'done' });

    expect(await a.engine.syncNow()).toEqual({ ok: true });
    expect(await b.engine.syncNow()).toEqual({ ok: true });

    const problems = await b.db.problems.toArray();
    expect(problems).toEqual([
      expect.objectContaining({
        seq: 1,
        type: 'pick',
        status: 'open',
        args: expect.objectContaining({ pickLineId: 'pln-3', locationId: 'loc-a02', productId: 'prd-a2' }),
        rejection: expect.objectContaining({ code: 'INSUFFICIENT_STOCK' }),
      }),
    ]);
    expect(await b.db.outbox.count()).toBe(0);
    expect(await b.db.shadow.count()).toBe(0);
    expect(await getRow(b.db, 'pickLines', 'pln-3')).toMatchObject({ pickedQty: 0, status: 'open' });
    expect(await getRow(b.db, 'pickLines', 'pln-2')).toMatchObject({ pickedQty: 1, status: 'done' });
    expect(await viewQty(b.db, 'loc-a02', 'prd-a2')).toBe(0);
    expect(await viewQty(b.db, 'loc-a01', 'prd-a1')).toBe(4);
    expect(await a.db.problems.count()).toBe(0);

    const name = b.db.name;
    b.db.close();
    const reopened = new DockhandDb(name);
    expect(await reopened.problems.where('status').equals('open').count()).toBe(1);
    expect(await getRow(reopened, 'pickLines', 'pln-3')).toMatchObject({ pickedQty: 0 });
    reopened.close();
  });

  it('rebuilds a rejection that arrives by pull while another scan is still pending', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    const b = await device('supervisor', '2222');
    await Promise.all([a.engine.syncNow(), b.engine.syncNow()]);
    await submitMutation(a.db, pick('pln-2', 'loc-a02', 'prd-a2'));
    await a.engine.syncNow();
    await submitMutation(b.db, pick('pln-3', 'loc-a02', 'prd-a2'));
    // B's push reaches the server, the answer is lost; then B scans again before the next sync.
    b.network.fetch = async (input, init) => {
      await serverFetch(server.app)(input, init);
      throw new TypeError('connection reset');
    };
    expect(await b.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'network' } });
    await submitMutation(b.db, pick('pln-1', 'loc-a01', 'prd-a1'));

    const cursor = (await getMeta(b.db, 'cursor'))!;
    const { body } = await pull(server.app, { authorization: `Bearer ${b.token}` }, { cursor, resultsAfter: 0 });
    expect(body.results.map((r) => [r.seq, r.status])).toEqual([[1, 'rejected']]);
    await applyPullPage(b.db, body, { today: TODAY, now: new Date() });

    expect((await b.db.outbox.toArray()).map((e) => [e.seq, e.status])).toEqual([[2, 'pending']]);
    expect(await b.db.problems.get((await b.db.problems.toArray())[0]!.mutationId)).toMatchObject({ status: 'open' });
    expect(await getRow(b.db, 'pickLines', 'pln-3')).toMatchObject({ pickedQty: 0 });
    expect(await viewQty(b.db, 'loc-a01', 'prd-a1')).toBe(4);
  });

  it('does not apply twice a push whose response was lost after commit; pull settles it', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    await a.engine.syncNow();
    const submitted = await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1', 3));
    expect(submitted.ok).toBe(true);

    a.network.fetch = async (input, init) => {
      await serverFetch(server.app)(input, init);
      throw new TypeError('connection reset');
    };
    expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(await serverQty('loc-a01', 'prd-a1')).toBe(2);
    expect(await a.db.outbox.get(1)).toMatchObject({ status: 'pending' });

    // The pull brings the rows and the stored result: the entry leaves, the view counts once.
    const cursor = (await getMeta(a.db, 'cursor'))!;
    const { body } = await pull(server.app, { authorization: `Bearer ${a.token}` }, { cursor, resultsAfter: 0 });
    await applyPullPage(a.db, body, { today: TODAY, now: new Date() });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await a.db.shadow.count()).toBe(0);
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(2);
    expect(await getRow(a.db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 3, status: 'done' });

    a.network.fetch = serverFetch(server.app);
    expect(await a.engine.syncNow()).toEqual({ ok: true });
    expect(await pickMovements()).toBe(1);
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(2);
  });

  it('replays a lost push on the next sync and settles it by the pull that follows', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    await a.engine.syncNow();
    await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1', 3));
    a.network.fetch = async (input, init) => {
      await serverFetch(server.app)(input, init);
      throw new TypeError('connection reset');
    };
    await a.engine.syncNow();
    a.network.fetch = serverFetch(server.app);
    expect(await a.engine.syncNow()).toEqual({ ok: true });
    expect(await a.db.outbox.count()).toBe(0);
    expect(await pickMovements()).toBe(1);
    expect(await viewQty(a.db, 'loc-a01', 'prd-a1')).toBe(2);
  });

  describe('never takes a failure for success', () => {
    async function pendingDevice() {
      server = await startTestServer('pglite');
      const a = await device('operator', '1111');
      await a.engine.syncNow();
      await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1'));
      return a;
    }
    const answer = (status: number, body: string, type = 'application/json'): typeof fetch =>
      async () => new Response(body, { status, headers: { 'content-type': type } });

    it('401: stops, asks for sign-in, keeps the outbox', async () => {
      const a = await pendingDevice();
      await server.app.inject({ method: 'DELETE', url: '/api/session', headers: { authorization: `Bearer ${a.token}` } });
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'auth' } });
      expect(a.status.getState()).toMatchObject({ needsSignIn: true, lastSyncAt: a.clock.time });
      expect(await a.db.outbox.get(1)).toMatchObject({ status: 'pending' });
      expect(a.engine.backoff).toBeNull();
      expect(await serverQty('loc-a01', 'prd-a1')).toBe(5);
    });

    it('5xx: keeps the outbox and backs off exponentially with jitter, reset by a success', async () => {
      const a = await pendingDevice();
      a.network.fetch = answer(503, JSON.stringify({ error: 'UNAVAILABLE', message: 'Database down' }));
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'server' } });
      expect(a.clock.pending()).toEqual([500]);
      await a.engine.syncNow();
      await a.engine.syncNow();
      expect(a.engine.backoff).toEqual({ failures: 3, delayMs: 2000 });
      for (let i = 0; i < 10; i++) await a.engine.syncNow();
      expect(a.engine.backoff).toEqual({ failures: 13, delayMs: 30_000 });
      expect(a.clock.pending()).toEqual([30_000]);
      expect(await a.db.outbox.get(1)).toMatchObject({ status: 'pending' });
      expect(a.status.getState().lastError).toContain('503');

      a.network.fetch = serverFetch(server.app);
      const timer = [...a.clock.timers.values()][0]!;
      timer.run();
      await expect.poll(() => a.db.outbox.count()).toBe(0);
      // The outbox empties inside the pull; the status follows once the whole sync has finished.
      await expect.poll(() => a.status.getState().lastError).toBeNull();
      expect(a.engine.backoff).toBeNull();
    });

    it('a 200 HTML page (captive portal) is not a push result', async () => {
      const a = await pendingDevice();
      a.network.fetch = answer(200, '<!doctype html><title>Guest Wi-Fi</title><form>Log in</form>', 'text/html');
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'protocol' } });
      expect(await a.db.outbox.get(1)).toMatchObject({ status: 'pending' });
      expect(a.engine.backoff).not.toBeNull();
      a.network.fetch = answer(200, JSON.stringify({ ok: true }));
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'protocol' } });
      expect(await a.db.outbox.count()).toBe(1);
    });

    it('409 SEQUENCE_GAP: an error status, nothing renumbered', async () => {
      server = await startTestServer('pglite');
      const a = await device('operator', '1111');
      await a.engine.syncNow();
      await setMeta(a.db, 'nextSeq', 7);
      await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1'));
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => errors.push(args);
      try {
        expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'sequence' } });
      } finally {
        console.error = original;
      }
      expect(errors).toHaveLength(1);
      expect(a.status.getState().lastError).toContain('SEQUENCE_GAP');
      expect((await a.db.outbox.toArray()).map((e) => e.seq)).toEqual([7]);
    });
  });

  describe('a queue that cannot be sent is never silent', () => {
    const MINUTE = 60_000;
    const isPush = (input: RequestInfo | URL) => String(input).includes('/api/sync/push');

    /** A device that synced, then scanned once at the clock's time. */
    async function pendingDevice() {
      server = await startTestServer('pglite');
      const a = await device('operator', '1111');
      await a.engine.syncNow();
      await submitMutation(a.db, { ...pick('pln-1', 'loc-a01', 'prd-a1'), now: new Date(a.clock.time) });
      return a;
    }

    /** The device's row as the supervisor's overview reads it. */
    async function reported(a: Device) {
      const deviceId = await getMeta(a.db, 'deviceId');
      const { rows } = await server.db.query<{ pending_count: number | null; oldest_pending_at: Date | null }>(
        'select pending_count, oldest_pending_at from devices where id = $1',
        [deviceId],
      );
      return rows[0]!;
    }

    it('a server that keeps failing: says so after five minutes, then retries slowly; a success clears it', async () => {
      const a = await pendingDevice();
      const since = a.clock.time;
      a.network.fetch = async () => new Response(JSON.stringify({ error: 'UNAVAILABLE', message: 'Try again shortly.' }), { status: 503 });
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toEqual({ since, reason: 'refused', stuck: false });
      expect(a.engine.backoff).toEqual({ failures: 1, delayMs: 500 });

      a.clock.time += STUCK_AFTER_MS - 1;
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toEqual({ since, reason: 'refused', stuck: false });
      a.clock.time += 1;
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toEqual({ since, reason: 'refused', stuck: true });
      // Not the normal pace (2 s at the third failure): between half the normal cap and the cap.
      expect(a.engine.backoff).toEqual({ failures: 3, delayMs: 0.75 * BACKOFF_CAP_MS });
      for (let i = 0; i < 10; i++) await a.engine.syncNow();
      expect(a.engine.backoff).toEqual({ failures: 13, delayMs: 0.75 * STUCK_BACKOFF_CAP_MS });
      expect(await a.db.outbox.get(1)).toMatchObject({ status: 'pending' });

      a.network.fetch = serverFetch(server.app);
      expect(await a.engine.syncNow()).toEqual({ ok: true });
      expect(a.status.getState()).toMatchObject({ notSent: null, lastError: null, pendingCount: 0 });
      expect(a.engine.backoff).toBeNull();
    });

    it('a 400 on push is a stuck queue at once: slow retries, and the pull still reports it to the server', async () => {
      const a = await pendingDevice();
      const sent: Record<string, string>[] = [];
      a.network.fetch = async (input, init) => {
        sent.push(init?.headers as Record<string, string>);
        if (isPush(input)) return new Response(JSON.stringify({ error: 'BAD_REQUEST', message: 'Refused.' }), { status: 400 });
        return serverFetch(server.app)(input, init);
      };
      a.clock.time += 2 * MINUTE;
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'server', status: 400 } });
      expect(a.status.getState().notSent).toEqual({ since: a.clock.time, reason: 'refused', stuck: true });
      expect(a.engine.backoff).toEqual({ failures: 1, delayMs: 0.75 * BACKOFF_CAP_MS });
      // Push and pull both told the server what waits here: one scan, two minutes old.
      expect(sent.map((headers) => [headers[PENDING_COUNT_HEADER], headers[PENDING_AGE_HEADER]])).toEqual([['1', '120'], ['1', '120']]);
      await expect.poll(async () => (await reported(a)).pending_count).toBe(1);

      a.network.fetch = serverFetch(server.app);
      expect(await a.engine.syncNow()).toEqual({ ok: true });
      expect(a.status.getState().notSent).toBeNull();
      await expect.poll(async () => (await reported(a)).pending_count).toBe(0);
      expect((await reported(a)).oldest_pending_at).toBeNull();
    });

    it('no connection is not alarming: unreachable, never refused, and retried at the normal pace', async () => {
      const a = await pendingDevice();
      a.online.value = false;
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'offline' } });
      expect(a.status.getState().notSent).toBeNull();

      a.online.value = true;
      a.network.fetch = offline;
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toMatchObject({ reason: 'unreachable', stuck: false });
      a.clock.time += STUCK_AFTER_MS;
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toMatchObject({ reason: 'unreachable', stuck: true });
      expect(a.engine.backoff!.delayMs).toBeLessThanOrEqual(BACKOFF_CAP_MS / 2);
    });

    it('a push that gets no answer while the pull goes through is the server refusing', async () => {
      const a = await pendingDevice();
      a.network.fetch = async (input, init) => {
        if (isPush(input)) throw new TypeError('connection reset');
        return serverFetch(server.app)(input, init);
      };
      expect(await a.engine.syncNow()).toMatchObject({ ok: false, error: { kind: 'network' } });
      expect(a.status.getState().notSent).toMatchObject({ reason: 'refused', stuck: false });
      a.clock.time += STUCK_AFTER_MS;
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toMatchObject({ reason: 'refused', stuck: true });
    });

    it('a push whose answer was lost, settled by the pull after it, is a success; a later failure counts from itself', async () => {
      const a = await pendingDevice();
      // The push reaches the server, its answer is lost; the pull settles it. A second scan then fails alone.
      a.network.fetch = async (input, init) => {
        const answer = await serverFetch(server.app)(input, init);
        if (isPush(input)) throw new TypeError('connection reset');
        return answer;
      };
      expect(await a.engine.syncNow()).toEqual({ ok: true });
      expect(await a.db.outbox.count()).toBe(0);
      expect(a.status.getState()).toMatchObject({ notSent: null, lastError: null });
      a.clock.time += 4 * MINUTE;
      await submitMutation(a.db, { ...pick('pln-1', 'loc-a01', 'prd-a1'), now: new Date(a.clock.time) });
      a.network.fetch = async () => new Response('{}', { status: 502 });
      await a.engine.syncNow();
      expect(a.status.getState().notSent).toEqual({ since: a.clock.time, reason: 'refused', stuck: false });
    });
  });

  it('syncs after a scan, counts pending, and retries while anything is pending', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    a.engine.start();
    await expect.poll(() => getMeta(a.db, 'initialLoadDone')).toBe(true);
    expect(a.status.getState().persistence).toBe('granted');
    a.network.fetch = offline;
    await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1'));
    await expect.poll(() => a.status.getState().pendingCount).toBe(1);
    // The push waits for the end of the burst of scans (beside the idle pull's timer): a second
    // scan restarts the wait.
    await expect.poll(() => a.clock.pending()).toEqual([IDLE_PULL_INTERVAL_MS, SCAN_PUSH_DELAY_MS]);
    a.clock.time += SCAN_PUSH_DELAY_MS / 2;
    await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1'));
    await expect.poll(() => a.status.getState().pendingCount).toBe(2);
    expect(a.clock.pending()).toEqual([IDLE_PULL_INTERVAL_MS - SCAN_PUSH_DELAY_MS / 2, SCAN_PUSH_DELAY_MS]);
    expect(a.status.getState().lastError).toBeNull();
    a.clock.time += SCAN_PUSH_DELAY_MS;
    for (const [id, timer] of [...a.clock.timers]) {
      if (timer.at <= a.clock.time) {
        a.clock.timers.delete(id);
        timer.run();
      }
    }
    await expect.poll(() => a.status.getState().lastError).toBe('The server could not be reached.');
    a.network.fetch = serverFetch(server.app);
    a.online.value = true;
    a.engine.requestSync('online');
    await expect.poll(() => a.status.getState().pendingCount).toBe(0);
    expect(await serverQty('loc-a01', 'prd-a1')).toBe(3);
  });

  it('pulls on its own while idle: a pick list allocated on the server reaches the device without a scan', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    a.engine.start();
    await expect.poll(() => getMeta(a.db, 'initialLoadDone')).toBe(true);
    await expect.poll(() => a.clock.pending()).toEqual([IDLE_PULL_INTERVAL_MS]);
    const admin = await server.signIn('admin', '9999');
    const posted = await server.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: admin,
      payload: { owner: 'BETA', number: '#9001', orderedAt: '2026-11-24T09:00:00Z', shipTo: { name: 'Dana Doe', address1: '1 Quay', city: 'Bristol', country: 'GB' }, lines: [{ sku: 'BETA-TNT', qty: 1 }] },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    await server.app.allocation.settle();
    const before = await countRows(a.db, 'pickLists');
    a.clock.time += IDLE_PULL_INTERVAL_MS;
    const [id, timer] = [...a.clock.timers][0]!;
    a.clock.timers.delete(id);
    timer.run();
    await expect.poll(() => countRows(a.db, 'pickLists')).toBe(before + 1);
  });

  it('refuses sign-out while a scan is unsent; afterwards clears the user’s data but not the device', async () => {
    server = await startTestServer('pglite');
    const a = await device('operator', '1111');
    await a.engine.syncNow();
    await submitMutation(a.db, pick('pln-1', 'loc-a01', 'prd-a1'));
    const deviceId = await getMeta(a.db, 'deviceId');

    expect(await signOut({ db: a.db, isOnline: () => false })).toEqual({
      ok: false,
      message: '1 scan is not sent yet. Connect to the network and wait for All synced; if the server keeps refusing them, tell a supervisor.',
    });
    expect(await readSession(a.db)).not.toBeNull();

    await a.engine.syncNow();
    const deleted: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      deleted.push(`${init?.method} ${String(input)}`);
      return serverFetch(server.app)(input, init);
    };
    expect(await signOut({ db: a.db, fetch, isOnline: () => true })).toEqual({ ok: true });
    expect(deleted).toEqual(['DELETE /api/session']);
    expect(await readSession(a.db)).toBeNull();
    expect(await countRows(a.db, 'products')).toBe(0);
    expect(await countRows(a.db, 'stock')).toBe(0);
    expect(await getMeta(a.db, 'cursor')).toBeUndefined();
    expect(await getMeta(a.db, 'initialLoadDone')).toBeUndefined();
    expect(await getMeta(a.db, 'deviceId')).toBe(deviceId);
    expect(await getMeta(a.db, 'nextSeq')).toBe(2);
    const stale = await a.engine.syncNow();
    expect(stale.ok).toBe(false);
    expect(await countRows(a.db, 'products')).toBe(0);
  });
});
