// A device's first load against the real server, on PGlite and (with TEST_DATABASE_URL) on
// PostgreSQL: a snapshot of the current rows in (table, id) order, paged by primary key, then the
// change feed from the snapshot's bound, so rows changed while it was paged still end right.
import { describe, expect, it } from 'vitest';
import type { PullResponse } from '../../server/sync/pull';
import { publish } from '../../server/db/tables';
import { BACKENDS, checkAndCloseAfterEach, serverRows, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, pull, pullAll, push } from './client';

type Headers = { authorization: string };
type Key = readonly [string, string];

/** A first load's walk cursor: up to `<bound>.0`, from nothing known to the user's scope key. */
const SNAPSHOT_CURSOR = /^w(\d+)\.0\.0\.(?:all|[0-9a-f]{16})\.[A-Za-z0-9_-]+$/;
const FEED_CURSOR = /^(\d+)\.(\d+)\.(?:all|[0-9a-f]{16})$/;

const keyOf = (change: PullResponse['changes'][number]): Key => [change.table, change.id];
const name = (key: Key) => `${key[0]}/${key[1]}`;

/** The order the server serves: the bytes of the table, then of the id (collation "C"). */
function compareKeys(a: Key, b: Key): number {
  return Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])) || Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1]));
}

/** What a device holds after applying changes in order: its rows by table/id. */
function apply(held: Map<string, unknown>, changes: PullResponse['changes']): Map<string, unknown> {
  for (const change of changes) {
    if (change.op === 'put') held.set(name(keyOf(change)), change.row);
    else held.delete(name(keyOf(change)));
  }
  return held;
}

/** Pulls one page and checks it is a snapshot page: no results, more to come. */
async function snapshotPage(server: TestServer, device: Headers, cursor: string, limit: number) {
  const { status, body } = await pull(server.app, device, { cursor, limit, resultsAfter: 0 });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.hasMore).toBe(true);
  expect(body.results).toEqual([]);
  expect(body.changes.every((c) => c.op === 'put')).toBe(true);
  expect(body.changes.length).toBeLessThanOrEqual(limit);
  return body;
}

describe.each(BACKENDS)('first load on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('serves the current rows once each in (table, id) order, across table boundaries, then the feed from its bound', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    // An emptied balance leaves a tombstone in the feed: a first load never sees it.
    const other = await server.signIn('supervisor', '2222');
    expect((await push(server.app, other, [mutation(1, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))])).body.results[0]!.status).toBe('applied');

    const pages: PullResponse[] = [];
    let cursor = '';
    while (!FEED_CURSOR.test(cursor)) {
      const page = await snapshotPage(server, device, cursor, 3);
      pages.push(page);
      cursor = page.cursor;
    }
    const keys = pages.flatMap((page) => page.changes.map(keyOf));
    for (let i = 1; i < keys.length; i++) expect(compareKeys(keys[i - 1]!, keys[i]!), `${name(keys[i - 1]!)} before ${name(keys[i]!)}`).toBeLessThan(0);
    expect(apply(new Map(), pages.flatMap((page) => page.changes))).toEqual(await serverRows(server, null));
    expect(keys.map(name)).not.toContain('stock/loc-a02|prd-a2||');
    expect(pages.some((page) => new Set(page.changes.map((c) => c.table)).size > 1)).toBe(true);

    // Every snapshot cursor carries the same bound; the last page hands over to the feed at it.
    const bounds = new Set(pages.slice(0, -1).map((page) => SNAPSHOT_CURSOR.exec(page.cursor)?.[1]));
    expect(bounds.size).toBe(1);
    expect(cursor).toBe(`${[...bounds][0]}.0.all`);
    const feed = await pull(server.app, device, { cursor, limit: 3, resultsAfter: 0 });
    expect(feed.body).toMatchObject({ changes: [], hasMore: false, results: [], cursor });
  });

  it('ends a snapshot whose last page is full with an empty page that hands over to the feed', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const count = (await serverRows(server, null)).size;
    const full = await snapshotPage(server, device, '', count);
    expect(full.changes).toHaveLength(count);
    expect(full.cursor).toMatch(SNAPSHOT_CURSOR);
    const empty = await snapshotPage(server, device, full.cursor, count);
    expect(empty.changes).toEqual([]);
    expect(empty.cursor).toBe(`${SNAPSHOT_CURSOR.exec(full.cursor)![1]}.0.all`);
    const feed = await pull(server.app, device, { cursor: empty.cursor, limit: count, resultsAfter: 0 });
    expect(feed.body).toMatchObject({ changes: [], hasMore: false });
  });

  it('ends right when rows are inserted, updated and deleted while the snapshot is paged', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const other = await server.signIn('supervisor', '2222');
    const held = new Map<string, unknown>();
    const served = new Set<string>();
    let cursor = '';
    const nextPage = async () => {
      const page = await snapshotPage(server, device, cursor, 1);
      apply(held, page.changes);
      for (const change of page.changes) served.add(name(keyOf(change)));
      cursor = page.cursor;
    };
    const pageUntilServed = async (key: string) => {
      while (!served.has(key)) {
        expect(cursor, `${key} was never served`).not.toMatch(FEED_CURSOR);
        await nextPage();
      }
    };

    await pageUntilServed('pickLines/pln-1');
    expect(served.has('stock/loc-a01|prd-a1||')).toBe(false);
    // Served rows change (the pick line and order line), a row yet to be served changes (the
    // balance), and rows appear (the packed units, the received pallet).
    expect((await push(server.app, device, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 3))])).body.results[0]!.status).toBe('applied');
    expect((await push(server.app, other, [mutation(1, 'receive', { receiptId: 'rcp-b', productId: 'prd-b1', qty: 4, lpn: 'LPN-SNAP-1' })])).body.results[0]!.status).toBe('applied');

    await pageUntilServed('stock/loc-a02|prd-a2||');
    expect(cursor).toMatch(SNAPSHOT_CURSOR);
    // A served row is deleted (the last grinder picked) before the snapshot is over.
    expect((await push(server.app, other, [mutation(2, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))])).body.results[0]!.status).toBe('applied');

    while (!FEED_CURSOR.test(cursor)) await nextPage();
    // The snapshot itself served only rows as they were before it began.
    expect(served.has('stock/loc-dock|prd-b1||LPN-SNAP-1')).toBe(false);
    expect(served.has('stock/loc-pack|prd-a1||')).toBe(false);
    expect(served.has('stock/loc-a01|prd-a1||')).toBe(false);

    const rest = await pullAll(server.app, device, cursor, 1);
    apply(held, rest.changes);
    expect(held).toEqual(await serverRows(server, null));
    expect(held.has('stock/loc-a02|prd-a2||')).toBe(false);
    expect(held.get('stock/loc-a01|prd-a1||')).toEqual(expect.objectContaining({ qty: 2 }));
    expect(held.get('pickLines/pln-1')).toEqual(expect.objectContaining({ pickedQty: 3, status: 'done' }));
    expect(held.get('stock/loc-dock|prd-b1||LPN-SNAP-1')).toEqual(expect.objectContaining({ qty: 4 }));
    // The device's result comes with the feed's last page, once its rows are on the device.
    expect(rest.results).toEqual([expect.objectContaining({ seq: 1, status: 'applied' })]);
  });

  it('limits the snapshot to the user’s owners, as the feed does', async () => {
    server = await startTestServer(backend);
    const beta = await server.signIn('beta', '3333');
    const held = new Map<string, unknown>();
    let cursor = '';
    while (!FEED_CURSOR.test(cursor)) {
      const page = await snapshotPage(server, beta, cursor, 2);
      apply(held, page.changes);
      cursor = page.cursor;
    }
    const expected = await serverRows(server, ['own-b']);
    expect(held).toEqual(expected);
    expect([...held.keys()]).toEqual(expect.arrayContaining(['owners/own-b', 'products/prd-b1', 'locations/loc-a01']));
    expect([...held.keys()].some((key) => key === 'owners/own-a' || key === 'products/prd-a1')).toBe(false);
  });

  it('pages past an id hundreds of characters long', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const longId = `loc-${'é'.repeat(150)}${'x'.repeat(150)}`;
    await publish(server.db, 'locations', longId, null, { id: longId, code: 'LONG', zone: 'A', type: 'storage', aisle: null, level: null, walkSeq: 1, capacity: null });
    const held = new Map<string, unknown>();
    let cursor = '';
    let longest = 0;
    while (!FEED_CURSOR.test(cursor)) {
      const page = await snapshotPage(server, device, cursor, 1);
      apply(held, page.changes);
      cursor = page.cursor;
      longest = Math.max(longest, cursor.length);
    }
    expect(longest).toBeGreaterThan(400);
    expect(held).toEqual(await serverRows(server, null));
    expect(held.has(`locations/${longId}`)).toBe(true);
  });

  it('refuses a cursor not shaped like one it hands out with 400 and says so', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const cases = [
      'garbage', '12', '12.', '.5', '1.2.3', '1.2.ALL', 'w1.2.0.all.!!!', 'w1.2.0.all', '-1.2', 's', 's12', 's12.', 's12.!!!', 'sx.abc', 's-1.abc',
      `s12.${b64('not json')}`, `s12.${b64('["locations"]')}`, `s12.${b64('["locations",1]')}`, `s12.${b64('{"tbl":"locations"}')}`,
      '18446744073709551616.0', '1.9223372036854775808', `s18446744073709551616.${b64('["locations","loc-a01"]')}`,
      `s12.${b64(JSON.stringify(['locations', 'x'.repeat(3000)]))}`,
    ];
    for (const cursor of cases) {
      const response = await server.app.inject({ method: 'GET', url: `/api/sync/pull?${new URLSearchParams({ cursor })}`, headers: device });
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json(), cursor).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringContaining('cursor') });
    }
  });

  if (backend === 'postgres') {
    it('brings a transaction still open when the snapshot began through the feed once it commits', async () => {
      server = await startTestServer(backend);
      const device = await server.signIn('operator', '1111');
      let release!: () => void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      let started!: () => void;
      const isOpen = new Promise<void>((resolve) => { started = resolve; });
      const renamed = { id: 'own-a', code: 'ACME', name: 'Acme Coffee Co', overReceiptTolerancePct: 10, allowUnexpectedItems: false };
      const t1 = server.db.transaction(async (tx) => {
        await tx.query("update owners set name = 'Acme Coffee Co' where id = 'own-a'");
        await publish(tx, 'owners', 'own-a', 'own-a', renamed);
        started();
        await held;
      });
      await isOpen;
      const during = await pullAll(server.app, device, '', 4);
      expect(apply(new Map(), during.changes).get('owners/own-a')).toEqual(expect.objectContaining({ name: 'Acme Coffee' }));
      release();
      await t1;
      const after = await pullAll(server.app, device, during.cursor, 4);
      expect(after.changes).toContainEqual({ table: 'owners', id: 'own-a', op: 'put', row: renamed });
    });
  }
});
