// The Dexie Reader answers exactly what the in-memory reference Reader answers: FEFO order, lot
// and LPN filters, children, and the rest.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryReader } from '../../test/fakes/memory-reader';
import { fixtureWarehouse } from '../../test/server/fixture';
import { stockId, type StockRow } from '../domain/entities';
import type { Reader } from '../domain/rules/types';
import { DockhandDb } from './db';
import { dexieReader, sharedReads } from './dexie-reader';

let db: DockhandDb;
afterEach(async () => {
  db.close();
  await db.delete();
});

const row = (lot: string | null, expiry: string | null, lpn: string | null, qty: number): StockRow => ({
  id: stockId('loc-a01', 'prd-a1', lot, lpn), ownerId: 'own-a', locationId: 'loc-a01', productId: 'prd-a1', lot, expiry, lpn, qty,
});

describe('dexieReader', () => {
  it('reads like the reference reader', async () => {
    db = new DockhandDb(`reader-${randomUUID()}`);
    const { rows } = fixtureWarehouse();
    const stock = [
      ...rows.stock!.filter((s) => s.locationId !== 'loc-a01'),
      row(null, null, null, 2),
      row('L2', '2027-01-01', null, 1),
      row('L1', '2027-01-01', null, 3),
      row('L0', null, null, 1),
      row('L3', '2026-12-01', 'LPN-9', 4),
    ];
    await db.transaction('rw', db.tables, async () => {
      for (const [table, list] of Object.entries({ ...rows, stock })) await db.table(table).bulkPut(list as object[]);
    });
    const memory = new MemoryReader({ ...rows, stock });
    const reader = dexieReader(db);
    for (const query of [
      { productId: 'prd-a1', locationId: 'loc-a01' },
      { productId: 'prd-a1', locationId: 'loc-a01', lot: null },
      { productId: 'prd-a1', locationId: 'loc-a01', lpn: null },
      { productId: 'prd-a1', locationId: 'loc-a01', lot: 'L1' },
    ]) {
      expect(await reader.stock(query)).toEqual(await memory.stock(query));
    }
    expect((await reader.stock({ productId: 'prd-a1', locationId: 'loc-a01' })).map((s) => s.lot)).toEqual(['L3', 'L1', 'L2', 'L0', null]);
    expect(await reader.children('pickLines', 'pl-1')).toEqual(await memory.children('pickLines', 'pl-1'));
    expect(await reader.pickLinesOfOrder('5234567890123456789')).toEqual(await memory.pickLinesOfOrder('5234567890123456789'));
    expect(await reader.openPickLinesAt('loc-a02', 'prd-a2')).toEqual(await memory.openPickLinesAt('loc-a02', 'prd-a2'));
    expect(await reader.locationsOfType('pick_face')).toEqual(await memory.locationsOfType('pick_face'));
    expect((await reader.stockAt('loc-a01')).length).toBe(5);
    expect(await reader.get('products', 'prd-a2')).toEqual(await memory.get('products', 'prd-a2'));
    expect(await reader.get('products', 'nope')).toBeUndefined();
  });

  it('shares each read once, and a row a query answered is the answer to getting that row', async () => {
    const { rows } = fixtureWarehouse();
    const memory = new MemoryReader(rows);
    const gets: string[] = [];
    const counting: Reader = {
      get: (table, id) => (gets.push(`${table}/${id}`), memory.get(table, id)),
      children: (table, parentId) => memory.children(table, parentId),
      stock: (query) => memory.stock(query),
      stockAt: (locationId) => memory.stockAt(locationId),
      pickLinesOfOrder: (orderId) => memory.pickLinesOfOrder(orderId),
      openPickLinesAt: (locationId, productId) => memory.openPickLinesAt(locationId, productId),
      locationsOfType: (type) => memory.locationsOfType(type),
    };
    const shared = sharedReads(counting);
    const [line] = await shared.children('pickLines', 'pl-1');
    const [stock] = await shared.stockAt('loc-a01');
    expect(await shared.get('pickLines', line!.id)).toBe(line);
    expect(await shared.get('stock', stock!.id)).toBe(stock);
    await shared.get('products', 'prd-a2');
    await shared.get('products', 'prd-a2');
    expect(gets).toEqual(['products/prd-a2']);
  });
});
