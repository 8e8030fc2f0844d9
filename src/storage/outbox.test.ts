// Submitting on what the last submission read: the next scan on a line writes without reading
// first, and whatever changed in between (a pull, another tab) is decided on what is stored.
import 'fake-indexeddb/auto';
import type { DBCore, DBCoreTable } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureDb } from '../../test/support/fixture-db';
import { stockId } from '../domain/entities';
import type { Actor } from '../domain/rules/types';
import { DockhandDb, viewScope } from './db';
import { anticipateMutation, submitMutation } from './outbox';
import { getRow, writeLocalRow } from './rows';

const ACTOR: Actor = { userId: 'usr-op', deviceId: 'dev-1', role: 'operator', ownerIds: null };
const NOW = new Date('2026-11-24T12:00:00Z');
const BIN_STOCK = stockId('loc-a01', 'prd-a1', null, null);

let db: DockhandDb;
/** Per transaction, in order: `read` when a read answered, `write` when a write was made. */
let log: string[][];

/** Records, per transaction, reads as they complete and writes as they are issued. */
function watch(target: DockhandDb): void {
  const traces = new WeakMap<object, string[]>();
  const traceOf = (trans: object) => {
    let trace = traces.get(trans);
    if (!trace) {
      trace = [];
      traces.set(trans, trace);
      log.push(trace);
    }
    return trace;
  };
  target.use({
    stack: 'dbcore',
    name: 'watch',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name);
        return {
          ...table,
          get: (req) => table.get(req).then((answer) => (traceOf(req.trans).push('read'), answer)),
          getMany: (req) => table.getMany(req).then((answer) => (traceOf(req.trans).push('read'), answer)),
          query: (req) => table.query(req).then((answer) => (traceOf(req.trans).push('read'), answer)),
          mutate: (req) => {
            traceOf(req.trans).push('write');
            return table.mutate(req);
          },
        };
      },
    }),
  });
}

const pick = (qty = 1) =>
  submitMutation(db, { type: 'pick', actor: ACTOR, now: NOW, args: { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty } });

beforeEach(async () => {
  log = [];
  db = await fixtureDb('outbox', watch);
  log = [];
});

afterEach(async () => {
  db.close();
  await db.delete();
});

describe('submitting on what the last submission read', () => {
  it('writes the next scan on a line before any read has answered, with the same effects', async () => {
    expect(await pick()).toMatchObject({ ok: true, seq: 1 });
    const first = log.at(-1)!;
    expect(first.indexOf('write')).toBeGreaterThan(first.indexOf('read'));

    expect(await pick()).toMatchObject({ ok: true, seq: 2 });
    const second = log.at(-1)!;
    expect(second.indexOf('read')).toBeGreaterThan(second.indexOf('write'));

    expect(await getRow(db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 2, status: 'open' });
    expect(await getRow(db, 'stock', BIN_STOCK)).toMatchObject({ qty: 3 });
    expect(await getRow(db, 'stock', stockId('loc-pack', 'prd-a1', null, null))).toMatchObject({ qty: 2 });
    expect((await db.outbox.toArray()).map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it('decides on the stored stock when a pull changed it in between', async () => {
    await pick();
    // A pull brings the bin down to the one unit another device left.
    await db.stock.update(BIN_STOCK, { qty: 1 });

    const refused = await pick(2);
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'INSUFFICIENT_STOCK' } });
    expect(await pick(1)).toMatchObject({ ok: true, seq: 2 });
    expect(await getRow(db, 'stock', BIN_STOCK)).toBeUndefined();
    expect(await getRow(db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 2 });
  });

  it('decides on the stored stock when another tab or worker changed it, which only the view version tells', async () => {
    await pick();
    const other = new DockhandDb(db.name);
    try {
      // Another connection to the same database: its writes leave no trace in this one's memory.
      const row = (await getRow(other, 'stock', BIN_STOCK))!;
      await other.transaction('rw', viewScope(other), () => writeLocalRow(other, 'stock', BIN_STOCK, { ...row, qty: 1 }));
    } finally {
      other.close();
    }
    expect(await pick(2)).toMatchObject({ ok: false, rejection: { code: 'INSUFFICIENT_STOCK' } });
    // Decided on what this connection remembered (4 units), the pick of 2 would have been written.
    expect(await db.outbox.count()).toBe(1);
    expect(await pick(1)).toMatchObject({ ok: true, seq: 2 });
    expect(await getRow(db, 'stock', BIN_STOCK)).toBeUndefined();
    expect((await db.outbox.toArray()).map((entry) => entry.seq)).toEqual([1, 2]);
  });

  it('advances the line from what another tab stored, never from what it remembered', async () => {
    await pick();
    await db.pickLines.update('pln-1', { pickedQty: 2 });
    await db.meta.put({ key: 'nextSeq', value: 7 });

    expect(await pick()).toMatchObject({ ok: true, seq: 7 });
    expect(await getRow(db, 'pickLines', 'pln-1')).toMatchObject({ pickedQty: 3, status: 'done' });
    expect((await db.outbox.toArray()).map((entry) => entry.seq)).toEqual([1, 7]);
  });

  it('reads ahead for an expected scan without writing, and that scan then only writes', async () => {
    const before = await getRow(db, 'pickLines', 'pln-1');
    await anticipateMutation(db, { type: 'pick', actor: ACTOR, now: NOW, args: { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty: 1 } });
    expect(log.at(-1)).not.toContain('write');
    expect(await getRow(db, 'pickLines', 'pln-1')).toEqual(before);
    expect(await db.outbox.count()).toBe(0);

    expect(await pick()).toMatchObject({ ok: true, seq: 1 });
    const trace = log.at(-1)!;
    expect(trace.indexOf('read')).toBeGreaterThan(trace.indexOf('write'));
  });
});

describe("the scan's date is the warehouse's", () => {
  // 10:30 UTC on 1 March is already 00:30 on 2 March at a warehouse on Kiritimati (UTC+14).
  const AFTER_MIDNIGHT_THERE = new Date('2026-03-01T10:30:00Z');
  const receive = () =>
    submitMutation(db, {
      type: 'receive',
      actor: ACTOR,
      now: AFTER_MIDNIGHT_THERE,
      args: { receiptId: 'rcp-a', productId: 'prd-a1', qty: 1, expiry: '2026-03-01' },
    });

  it('refuses units that expired yesterday at the warehouse, whatever the device clock’s zone says', async () => {
    await db.meta.put({ key: 'timeZone', value: 'Pacific/Kiritimati' });
    expect(await receive()).toMatchObject({ ok: false, rejection: { code: 'EXPIRED' } });
    expect(await db.outbox.count()).toBe(0);
  });

  it('decides on a zone the last pull changed, not the one the previous scan knew', async () => {
    await db.meta.put({ key: 'timeZone', value: 'Pacific/Pago_Pago' });
    // Still 28 February in Pago Pago (UTC−11): the units are good, and the next scan decides on known state.
    expect(await receive()).toMatchObject({ ok: true, seq: 1 });
    await db.meta.put({ key: 'timeZone', value: 'Pacific/Kiritimati' });
    expect(await receive()).toMatchObject({ ok: false, rejection: { code: 'EXPIRED' } });
    expect(await db.outbox.count()).toBe(1);
  });
});
