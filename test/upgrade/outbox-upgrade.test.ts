// Upgrading a device with unsent scans: a database written by a released version (fixtures/,
// written by that release's own code) is opened by today's DockhandDb, then synced by today's
// engine to today's server on every backend. Nothing in the outbox may be lost, changed,
// reordered or applied twice, and the older mutation versions it holds must still be accepted.
import 'fake-indexeddb/auto';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Dexie } from 'dexie';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { signIn } from '../../src/features/sign-in/commands';
import { DockhandDb, type OutboxEntry } from '../../src/storage/db';
import { dexieReader } from '../../src/storage/dexie-reader';
import { getMeta } from '../../src/storage/meta';
import { submitMutation } from '../../src/storage/outbox';
import { getRow } from '../../src/storage/rows';
import { readSession } from '../../src/storage/session-repo';
import { SyncEngine } from '../../src/sync/engine';
import { createSyncStatusStore } from '../../src/sync/status-store';
import { BACKENDS, expectLedgerMatchesBalances, startTestServer, type Backend, type TestServer } from '../server/harness';
import { pullAll } from '../server/client';
import { fixtureWarehouse, TODAY } from '../server/fixture';
import { RELEASE_EXTRA_ROWS, RELEASE_SCANS, type ReleaseFixture } from './release-scans';
import { serverFetch } from '../support/server-fetch';

/**
 * The Dexie stores of each released schema version, copied from src/storage/db.ts in git history
 * (never imported: today's class is the thing under test). Only the stores matter here: a fixture
 * is loaded into a fresh database at its release's version, which runs no upgrade.
 */
const RELEASED_STORES: Record<number, Record<string, string>> = {
  1: { meta: 'key' },
  2: {
    outbox: 'seq, &id, status',
    shadow: 'key',
    problems: 'mutationId, seq, status',
    pickOrder: 'pickListId',
    owners: 'id',
    products: 'id, ownerId, *barcodes',
    locations: 'id, &code, type',
    stock: 'id, [productId+locationId], locationId, productId',
    lpns: 'id, locationId',
    receipts: 'id, ownerId, status, number',
    receiptLines: 'id, receiptId',
    orders: 'id, ownerId, status, number',
    orderLines: 'id, orderId',
    pickLists: 'id, ownerId, status',
    pickLines: 'id, pickListId, orderId',
    shipments: 'id, orderId',
    returns: 'id, rma, orderId, status',
    returnLines: 'id, returnId',
  },
  3: { photos: 'mutationId, receiptId, uploaded', lpnRanges: 'start' },
  4: { products: 'id, *barcodes', stock: 'id, [productId+locationId], locationId' },
  5: { base: '[table+first], *ix' },
};

/**
 * The releases a device may still be on: 5970da2 (Dexie 4, restock sent as version 1, without the
 * Other-bin reason) and dcff244, the last release before this one (Dexie 5, restock version 2).
 */
const RELEASES = ['5970da2', 'dcff244'].map(
  (commit) => JSON.parse(readFileSync(new URL(`./fixtures/release-${commit}.json`, import.meta.url), 'utf8')) as ReleaseFixture,
);

/** Where the scans leave stock, on the device before the sync and on the server after it. */
const STOCK_AFTER_SCANS = {
  'loc-dock|prd-a1||': 2,
  'loc-a01|prd-a1||': 1,
  'loc-b01|prd-a1||': 1,
  'loc-pack|prd-a1||': 3,
  'loc-ret|prd-a2||': 0,
  'loc-b01|prd-a2||': 1,
  'loc-dmg|prd-a2||': 1,
};

/** The fixture warehouse with the rows the release's device worked on, plus a second return. */
function upgradeWarehouse() {
  const data = fixtureWarehouse();
  const rows = data.rows as Record<string, unknown[] | undefined>;
  const add = (table: string, more: readonly unknown[]) => (rows[table] = [...(rows[table] ?? []), ...more]);
  for (const [table, more] of Object.entries(RELEASE_EXTRA_ROWS)) add(table, more);
  // A return the upgraded app restocks with today's mutation version.
  add('returns', [{ ...RELEASE_EXTRA_ROWS.returns[0], id: 'ret-2', rma: 'RMA-5002' }]);
  add('returnLines', [{ ...RELEASE_EXTRA_ROWS.returnLines[0], id: 'rtl-2', returnId: 'ret-2', productId: 'prd-a1', authorisedQty: 1, receivedQty: 1 }]);
  add('stock', [{ ...RELEASE_EXTRA_ROWS.stock[0], id: 'loc-ret|prd-a1||', productId: 'prd-a1', qty: 1 }]);
  return data;
}

type Meta = { key: string; value: unknown };
const metaOf = (fixture: ReleaseFixture, key: string) => (fixture.tables['meta'] as Meta[]).find((row) => row.key === key)?.value;

/**
 * The server side of the release's device, as that release's server stored it before this
 * server's migrations: the operator's user id, the device row (no device secret yet) and the
 * session whose token the device holds. The server is the same database across an app update;
 * the fixture's writer ran its own, so its identities are put back here.
 */
async function restoreServerSide(server: TestServer, fixture: ReleaseFixture): Promise<void> {
  const session = metaOf(fixture, 'session') as { token: string; user: { id: string; username: string } };
  const deviceId = metaOf(fixture, 'deviceId') as string;
  await server.db.query('update users set id = $1 where username = $2', [session.user.id, session.user.username]);
  await server.db.query('insert into devices (id, user_id) values ($1, $2)', [deviceId, session.user.id]);
  await server.db.query(`insert into sessions (token_hash, user_id, device_id, expires_at) values ($1, $2, $3, now() + interval '30 days')`, [
    createHash('sha256').update(session.token).digest('hex'),
    session.user.id,
    deviceId,
  ]);
}

/**
 * Writes the fixture into a new database at its release's schema version. The pull cursor names a
 * position in the fixture writer's server; the device had pulled to the end of that feed, so it
 * becomes the end of this server's feed. `meta` replaces other stored values the same way.
 */
async function writeReleasedDatabase(name: string, fixture: ReleaseFixture, endCursor: string, meta: Record<string, unknown> = {}): Promise<void> {
  const released = new Dexie(name);
  for (let version = 1; version <= fixture.dexieVersion; version++) released.version(version).stores(RELEASED_STORES[version]!);
  await released.open();
  const replaced: Record<string, unknown> = { cursor: endCursor, ...meta };
  await released.transaction('rw', released.tables, async () => {
    for (const [table, records] of Object.entries(fixture.tables)) {
      const rows = table === 'meta' ? (records as Meta[]).map((row) => (row.key in replaced ? { ...row, value: replaced[row.key] } : row)) : records;
      await released.table(table).bulkAdd(rows);
    }
  });
  expect(released.verno).toBe(fixture.dexieVersion);
  released.close();
}

/** A fetch to the in-process server that records every mutation a push took in. */
function serverFetchRecording(app: FastifyInstance, pushed: string[]): typeof fetch {
  return serverFetch(app, {
    onAnswer: (url, init, response) => {
      if (url.pathname === '/api/sync/push' && response.statusCode === 200) {
        pushed.push(...(JSON.parse(String(init?.body)) as { mutations: { id: string }[] }).mutations.map((mutation) => mutation.id));
      }
    },
  });
}

function engineFor(db: DockhandDb, token: string, send: typeof fetch): SyncEngine {
  return new SyncEngine({
    db,
    token,
    fetch: send,
    today: () => TODAY,
    status: createSyncStatusStore(),
    online: { isOnline: () => true, subscribe: () => () => {} },
    onVisible: () => () => {},
    lock: (task) => task(),
    persist: async () => true,
  });
}

async function viewStock(db: DockhandDb): Promise<Record<string, number>> {
  const reader = dexieReader(db);
  const entries = await Promise.all(Object.keys(STOCK_AFTER_SCANS).map(async (id) => [id, (await reader.get('stock', id))?.qty ?? 0] as const));
  return Object.fromEntries(entries);
}

async function serverStock(server: TestServer): Promise<Record<string, number>> {
  const { rows } = await server.db.query<{ id: string; qty: number }>('select id, qty from stock where id = any($1)', [Object.keys(STOCK_AFTER_SCANS)]);
  return Object.fromEntries(Object.keys(STOCK_AFTER_SCANS).map((id) => [id, rows.find((row) => row.id === id)?.qty ?? 0]));
}

/** A test boots a server and replays a release's scans: more than the unit default on a busy 2-core machine. */
const TEST_TIMEOUT_MS = 60_000;

let server: TestServer | undefined;
const opened: DockhandDb[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
  if (server) {
    await expectLedgerMatchesBalances(server.db);
    await server.app.close();
    server = undefined;
  }
});

describe.each(BACKENDS)('upgrade on %s', (backend: Backend) => {
  it.each(RELEASES.map((fixture) => [`${fixture.release} (Dexie ${fixture.dexieVersion})`, fixture] as const))(
    'a device on release %s keeps its unsent scans and sends each once',
    async (_, fixture) => {
      const running = (server = await startTestServer(backend, upgradeWarehouse()));
      await restoreServerSide(running, fixture);
      const { cursor: endCursor } = await pullAll(running.app, await running.signIn('supervisor', '2222'));
      const name = `upgrade-${randomUUID()}`;
      await writeReleasedDatabase(name, fixture, endCursor);
      const written = fixture.tables['outbox'] as OutboxEntry[];
      expect(written.map((entry) => entry.type)).toEqual(RELEASE_SCANS.map((scan) => scan.type));

      // Opening it with today's class runs every upgrade since the release (none when the
      // release's schema is still today's).
      const db = new DockhandDb(name);
      opened.push(db);
      await db.open();
      expect(db.verno).toBeGreaterThanOrEqual(fixture.dexieVersion);
      expect(await db.outbox.orderBy('seq').toArray()).toEqual(written);
      expect(await getMeta(db, 'nextSeq')).toBe(written.length + 1);
      // The view still shows each confirmed scan, once.
      expect(await viewStock(db)).toEqual(STOCK_AFTER_SCANS);

      const session = (await readSession(db))!;
      expect(session).toEqual(metaOf(fixture, 'session'));
      const pushed: string[] = [];
      const engine = engineFor(db, session.token, serverFetchRecording(running.app, pushed));
      expect(await engine.syncNow()).toEqual({ ok: true });
      engine.stop();

      // Every scan was sent once, in order, and applied as the version it was written in.
      expect(pushed).toEqual(written.map((entry) => entry.id));
      const { rows: results } = await running.db.query<{ seq: number; mutation_id: string; type: string; version: number; status: string; args: Record<string, unknown> }>(
        'select seq, mutation_id, type, version, status, args from mutation_results where device_id = $1 order by seq',
        [metaOf(fixture, 'deviceId')],
      );
      expect(results.map(({ seq, mutation_id, type, version, status }) => ({ seq, id: mutation_id, type, version, status }))).toEqual(
        written.map(({ seq, id, type, version }) => ({ seq, id, type, version, status: 'applied' })),
      );
      for (const result of results.filter((row) => row.type === 'restock')) expect(result.args['overrideReason'] ?? null).toBeNull();
      expect(await serverStock(running)).toEqual(STOCK_AFTER_SCANS);

      // The answers came back: nothing waits, nothing needs attention, the view is the server's.
      expect(await db.outbox.count()).toBe(0);
      expect(await db.problems.count()).toBe(0);
      expect(await db.shadow.count()).toBe(0);
      expect(await viewStock(db)).toEqual(STOCK_AFTER_SCANS);
      expect(await getRow(db, 'returns', 'ret-1')).toMatchObject({ status: 'closed' });
      expect(await getRow(db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 3 });
    },
    TEST_TIMEOUT_MS,
  );

  it('a release that signed in to this server, its session ended, signs in again after the upgrade and sends its scans', async () => {
    const fixture = RELEASES.at(-1)!;
    const running = (server = await startTestServer(backend, upgradeWarehouse()));
    const session = metaOf(fixture, 'session') as { token: string; user: { id: string; username: string } };
    const deviceId = metaOf(fixture, 'deviceId') as string;
    await running.db.query('update users set id = $1 where username = $2', [session.user.id, session.user.username]);
    // The release's own sign-in request (src/features/sign-in/commands.ts at the release): servers
    // are updated before devices, so the release met this server's sign-in and kept the session.
    const answer = await running.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '1111', deviceId } });
    expect(answer.statusCode, answer.body).toBe(200);
    const { cursor: endCursor } = await pullAll(running.app, await running.signIn('supervisor', '2222'));
    const name = `upgrade-${randomUUID()}`;
    await writeReleasedDatabase(name, fixture, endCursor, { session: { ...session, token: answer.json<{ token: string }>().token } });
    // Offline for longer than a session lasts (or signed out by a supervisor).
    await running.db.query('delete from sessions where device_id = $1', [deviceId]);

    const db = new DockhandDb(name);
    opened.push(db);
    const pushed: string[] = [];
    const fetch = serverFetchRecording(running.app, pushed);
    const expired = engineFor(db, (await readSession(db))!.token, fetch);
    expect(await expired.syncNow()).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expired.stop();
    expect(await signIn('operator', '1111', { db, fetch, isOnline: () => true })).toMatchObject({ ok: true });
    expect(await getMeta(db, 'deviceId')).toBe(deviceId);
    const engine = engineFor(db, (await readSession(db))!.token, fetch);
    expect(await engine.syncNow()).toEqual({ ok: true });
    engine.stop();

    const written = fixture.tables['outbox'] as OutboxEntry[];
    expect(pushed).toEqual(written.map((entry) => entry.id));
    const { rows } = await running.db.query<{ mutation_id: string; status: string }>('select mutation_id, status from mutation_results where device_id = $1 order by seq', [deviceId]);
    expect(rows).toEqual(written.map((entry) => ({ mutation_id: entry.id, status: 'applied' })));
    expect(await db.outbox.count()).toBe(0);
    expect(await serverStock(running)).toEqual(STOCK_AFTER_SCANS);
  }, TEST_TIMEOUT_MS);

  it('a restock from an upgraded app is sent as the newest version (3) and its Other-bin reason is kept', async () => {
    const running = (server = await startTestServer(backend, upgradeWarehouse()));
    const db = new DockhandDb(`upgrade-${randomUUID()}`);
    opened.push(db);
    const fetch = serverFetch(running.app);
    expect(await signIn('operator', '1111', { db, fetch, isOnline: () => true })).toMatchObject({ ok: true });
    const engine = engineFor(db, (await readSession(db))!.token, fetch);
    expect(await engine.syncNow()).toEqual({ ok: true });

    const submitted = await submitMutation(db, {
      type: 'restock',
      args: { returnId: 'ret-2', productId: 'prd-a1', qty: 1, disposition: 'restock', toLocationId: 'loc-b01', overrideReason: 'Pick face full' },
      today: TODAY,
    });
    expect(submitted.ok).toBe(true);
    expect(await engine.syncNow()).toEqual({ ok: true });
    engine.stop();

    const { rows } = await running.db.query<{ version: number; status: string; args: Record<string, unknown> }>(
      "select version, status, args from mutation_results where type = 'restock'",
    );
    expect(rows).toEqual([{ version: 3, status: 'applied', args: expect.objectContaining({ overrideReason: 'Pick face full', toLocationId: 'loc-b01' }) }]);
    expect(await db.outbox.count()).toBe(0);
    expect(await getRow(db, 'stock', 'loc-b01|prd-a1||')).toMatchObject({ qty: 1 });
  }, TEST_TIMEOUT_MS);
});
