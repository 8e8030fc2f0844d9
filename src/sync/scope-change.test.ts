// The device's side of scope changes and the warehouse clock, against the real server (PGlite) with
// the device database in fake-indexeddb: rows of a lost owner leave the device's view at the next
// pull while pending mutations stay, and re-applied mutations use the warehouse's date.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { expectLedgerMatchesBalances, startTestServer, type TestServer } from '../../test/server/harness';
import { pull, push } from '../../test/server/client';
import { PullPage } from '../domain/sync-protocol';
import type { Actor } from '../domain/rules/types';
import { DockhandDb } from '../storage/db';
import { getMeta } from '../storage/meta';
import { submitMutation } from '../storage/outbox';
import { allRows, getRow } from '../storage/rows';
import { applyPullPage } from './rebase';

type Headers = { authorization: string; deviceId: string };

let server: TestServer;
let db: DockhandDb;

afterEach(async () => {
  await expectLedgerMatchesBalances(server.db);
  await server.app.close();
  db.close();
});

/** Pulls to the end as the engine does, each page applied in its own transaction with its cursor. */
async function syncDevice(headers: Headers, options: { today: string; now: Date }): Promise<void> {
  for (;;) {
    const cursor = (await getMeta(db, 'cursor')) ?? '';
    const resultsAfter = (await getMeta(db, 'resultsAfter')) ?? 0;
    const { status, body } = await pull(server.app, headers, { cursor, limit: 1000, resultsAfter });
    expect(status).toBe(200);
    const page = PullPage.parse(body);
    await applyPullPage(db, page, { ...options, after: cursor });
    if (!page.hasMore) return;
  }
}

async function actorOf(headers: Headers, username: string): Promise<Actor> {
  const { rows } = await server.db.query<{ id: string }>('select id from users where username = $1', [username]);
  return { userId: rows[0]!.id, deviceId: headers.deviceId, role: 'operator', ownerIds: null };
}

describe('a device whose user loses an owner', () => {
  it('drops that owner’s rows from its view at the next pull, keeps the pending scan, then shows its rejection', async () => {
    server = await startTestServer('pglite');
    db = new DockhandDb(`scope-${randomUUID()}`);
    const admin = await server.signIn('admin', '9999');
    const device = await server.signIn('operator', '1111');
    const clock = { today: '2026-11-25', now: new Date('2026-11-25T12:00:00Z') };
    await syncDevice(device, clock);
    expect((await allRows(db, 'products')).map((row) => row.id)).toEqual(['prd-a1', 'prd-a2', 'prd-b1']);

    // A scan on the owner about to be lost, still unsent.
    const actor = await actorOf(device, 'operator');
    const scan = await submitMutation(db, { type: 'pick', args: { pickLineId: 'pln-4', locationId: 'loc-b01', productId: 'prd-b1', qty: 1 }, actor, ...clock });
    expect(scan.ok).toBe(true);
    expect(await getRow(db, 'pickLines', 'pln-4')).toMatchObject({ pickedQty: 1 });

    const { rows } = await server.db.query<{ id: string }>("select id from users where username = 'operator'");
    const narrowed = await server.app.inject({ method: 'PUT', url: `/api/admin/users/${rows[0]!.id}/owners`, headers: admin, payload: { ownerIds: ['own-a'] } });
    expect(narrowed.statusCode).toBe(200);
    await syncDevice(device, clock);

    expect((await allRows(db, 'products')).map((row) => row.id)).toEqual(['prd-a1', 'prd-a2']);
    expect((await allRows(db, 'owners')).map((row) => row.id)).toEqual(['own-a']);
    expect(await getRow(db, 'pickLines', 'pln-4')).toBeUndefined();
    expect(await getRow(db, 'stock', 'loc-b01|prd-b1||')).toBeUndefined();
    expect((await allRows(db, 'locations')).length).toBe(8);
    // The scan is not dropped: it is sent, refused, and shown under "Needs attention".
    const pending = await db.outbox.toArray();
    expect(pending).toHaveLength(1);
    const { id, seq, type, version, args, clientTime } = pending[0]!;
    await push(server.app, device, [{ id, seq, type, version, args, clientTime }]);
    await syncDevice(device, clock);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.problems.toArray()).toEqual([expect.objectContaining({ mutationId: id, rejection: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  }, 60_000);
});

describe('the warehouse clock on the device', () => {
  it('keeps the server’s time zone and re-applies pending scans with the warehouse’s date, as the server decides them', async () => {
    server = await startTestServer('pglite');
    db = new DockhandDb(`clock-${randomUUID()}`);
    const device = await server.signIn('operator', '1111');
    // 23:59:59 on the 24th in Kiritimati (UTC+14), where this warehouse is; 09:59 UTC.
    const beforeMidnight = new Date('2026-11-24T09:59:59Z');
    await syncDevice(device, { today: '2026-11-24', now: beforeMidnight });
    expect(await getMeta(db, 'timeZone')).toBe('UTC');

    const actor = await actorOf(device, 'operator');
    const receive = await submitMutation(db, {
      type: 'receive', args: { receiptId: 'rcp-a', productId: 'prd-a1', qty: 1, expiry: '2026-11-24' }, actor, today: '2026-11-24', now: beforeMidnight,
    });
    expect(receive.ok).toBe(true);
    const zone = { changes: [], cursor: (await getMeta(db, 'cursor'))!, hasMore: false, results: [], nextSeq: 1, timeZone: 'Pacific/Kiritimati' };
    // The caller's own idea of today (the host's date) is the 24th; the warehouse's has turned.
    await applyPullPage(db, zone, { today: '2026-11-24', now: new Date('2026-11-24T10:00:00Z') });
    expect(await getMeta(db, 'timeZone')).toBe('Pacific/Kiritimati');
    expect(await getRow(db, 'receiptLines', 'rcl-a1')).toMatchObject({ receivedQty: 0 });

    // The server, whose today is the 25th in that zone at that instant, refuses it alike.
    const [entry] = await db.outbox.toArray();
    const { id, seq, type, version, args, clientTime } = entry!;
    const { body } = await push(server.app, device, [{ id, seq, type, version, args, clientTime }]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', code: 'EXPIRED' });

    await applyPullPage(db, zone, { today: '2026-11-24', now: beforeMidnight });
    expect(await getRow(db, 'receiptLines', 'rcl-a1')).toMatchObject({ receivedQty: 1 });
  }, 60_000);
});
