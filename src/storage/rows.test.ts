// The two layers of the device's rows: the server's rows in `base` blocks and the overlay of
// local changes. Every read must answer what one row per record would, whatever the blocks.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { Dexie, liveQuery } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stockId, type AnyRow, type Product, type StockRow } from '../domain/entities';
import { DockhandDb } from './db';
import { BLOCK_ROWS, allRows, countRows, getRow, getRows, rowsWhere, rowsWithPrefix, writeLocalRow, writeServerRows } from './rows';

let db: DockhandDb;

beforeEach(() => {
  db = new DockhandDb(`rows-${randomUUID()}`);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

const pad = (n: number) => String(n).padStart(5, '0');

function product(n: number, barcodes = [`0400638${pad(n)}00`]): Product {
  return { id: `prd-${pad(n)}`, ownerId: 'own-a', sku: `SKU-${n}`, name: `Product ${n}`, barcodes, lotTracked: false, expiryTracked: false, serialTracked: false, zone: 'A', pickFaceLocationId: null };
}

function stock(bin: number, n: number, qty = 5): StockRow {
  const locationId = `loc-${pad(bin)}`;
  const productId = `prd-${pad(n)}`;
  return { id: stockId(locationId, productId, null, null), ownerId: 'own-a', locationId, productId, lot: null, expiry: null, lpn: null, qty };
}

function server(rows: readonly AnyRow[], deleted: readonly string[] = []) {
  return new Map<string, AnyRow | null>([...rows.map((row): [string, AnyRow] => [row.id, row]), ...deleted.map((id): [string, null] => [id, null])]);
}

const blocks = (table: string) => db.base.where('[table+first]').between([table, Dexie.minKey], [table, Dexie.maxKey]).toArray();

describe('base blocks', () => {
  it('packs a first load into full blocks in id order, and answers every row by id', async () => {
    const products = Array.from({ length: 5 * BLOCK_ROWS + 7 }, (_, i) => product(i));
    // In pages, as a first load arrives.
    for (let at = 0; at < products.length; at += 100) {
      await db.transaction('rw', db.tables, () => writeServerRows(db, 'products', server(products.slice(at, at + 100))));
    }
    const stored = await blocks('products');
    expect(stored.length).toBeLessThanOrEqual(Math.ceil(products.length / BLOCK_ROWS) + 1);
    for (const block of stored) {
      expect(block.rows.every((row) => row.id >= block.first)).toBe(true);
    }
    expect(await countRows(db, 'products')).toBe(products.length);
    expect(await getRow(db, 'products', 'prd-00000')).toEqual(products[0]);
    expect(await getRow(db, 'products', `prd-${pad(3 * BLOCK_ROWS)}`)).toEqual(products[3 * BLOCK_ROWS]);
    expect(await getRow(db, 'products', 'prd-99999')).toBeUndefined();
    expect(await getRows(db, 'products', ['prd-00002', 'nope', 'prd-00001'])).toEqual([products[2], undefined, products[1]]);
  });

  it('finds rows by an indexed value in any block, array fields included, and only those', async () => {
    const products = Array.from({ length: 3 * BLOCK_ROWS }, (_, i) => product(i));
    products[2 * BLOCK_ROWS + 1] = product(2 * BLOCK_ROWS + 1, ['05012345678900', '15012345678907']);
    products[5] = product(5, ['05012345678900']);
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'products', server(products)));

    expect((await rowsWhere(db, 'products', 'barcodes', ['05012345678900'])).map((p) => p.id)).toEqual(['prd-00005', `prd-${pad(2 * BLOCK_ROWS + 1)}`]);
    expect((await rowsWhere(db, 'products', 'barcodes', ['15012345678907'])).map((p) => p.id)).toEqual([`prd-${pad(2 * BLOCK_ROWS + 1)}`]);
    expect(await rowsWhere(db, 'products', 'barcodes', ['00000000000000'])).toEqual([]);

    // The server takes a barcode away: the old value no longer finds the product.
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'products', server([product(5)])));
    expect((await rowsWhere(db, 'products', 'barcodes', ['05012345678900'])).map((p) => p.id)).toEqual([`prd-${pad(2 * BLOCK_ROWS + 1)}`]);
  });

  it('answers a stock query by id prefix across block boundaries, and takes deletions', async () => {
    // Bin 7 holds enough products to span several blocks.
    const rows = [...Array.from({ length: 3 * BLOCK_ROWS }, (_, i) => stock(7, i)), stock(6, 1), stock(8, 1), stock(70, 1)];
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'stock', server(rows)));
    expect(await rowsWithPrefix(db, 'stock', 'loc-00007|')).toHaveLength(3 * BLOCK_ROWS);
    expect(await rowsWithPrefix(db, 'stock', 'loc-00007|prd-00042|')).toEqual([stock(7, 42)]);

    await db.transaction('rw', db.tables, () => writeServerRows(db, 'stock', server([], [stock(7, 42).id, stock(6, 1).id])));
    expect(await rowsWithPrefix(db, 'stock', 'loc-00007|prd-00042|')).toEqual([]);
    expect(await getRow(db, 'stock', stock(6, 1).id)).toBeUndefined();
    expect(await countRows(db, 'stock')).toBe(rows.length - 2);
  });
});

describe('live queries over base', () => {
  it('see a pull page land, though base writes are reported as changing the whole table', async () => {
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'products', server([product(1)])));
    const seen: string[][] = [];
    const subscription = liveQuery(() => rowsWhere(db, 'products', 'barcodes', [product(2).barcodes[0]!])).subscribe((rows) => seen.push(rows.map((row) => row.id)));
    try {
      await expect.poll(() => seen).toEqual([[]]);
      await db.transaction('rw', db.tables, () => writeServerRows(db, 'products', server([product(2)])));
      await expect.poll(() => seen.at(-1)).toEqual(['prd-00002']);
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe('the overlay of local changes', () => {
  beforeEach(async () => {
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'stock', server([stock(1, 1), stock(1, 2), stock(2, 1)])));
  });

  it('is read over base: a local change, a local deletion and a local insert', async () => {
    await db.transaction('rw', db.tables, () =>
      Promise.all([
        writeLocalRow(db, 'stock', stock(1, 1).id, stock(1, 1, 3)),
        writeLocalRow(db, 'stock', stock(1, 2).id, null),
        writeLocalRow(db, 'stock', stock(1, 3).id, stock(1, 3, 9)),
      ]),
    );
    expect(await getRow(db, 'stock', stock(1, 1).id)).toMatchObject({ qty: 3 });
    expect(await getRow(db, 'stock', stock(1, 2).id)).toBeUndefined();
    expect((await rowsWithPrefix(db, 'stock', 'loc-00001|')).map((row) => [row.productId, row.qty])).toEqual([
      ['prd-00001', 3],
      ['prd-00003', 9],
    ]);
    expect(await allRows(db, 'stock')).toHaveLength(3);
  });

  it('gives way to the server version of a row once that arrives', async () => {
    await db.transaction('rw', db.tables, () => writeLocalRow(db, 'stock', stock(1, 1).id, stock(1, 1, 3)));
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'stock', server([stock(1, 1, 4)])));
    expect(await getRow(db, 'stock', stock(1, 1).id)).toMatchObject({ qty: 4 });
    expect(await db.stock.count()).toBe(0);
  });

  it('no longer matches a query once a local change moves a row out of it', async () => {
    const pickList = { id: 'pl-1', ownerId: 'own-a', number: 'PL-1', status: 'open' as const, stagingLocationId: 'loc-pack', createdAt: '2026-12-05T06:00:00Z' };
    await db.transaction('rw', db.tables, () => writeServerRows(db, 'pickLists', server([pickList])));
    expect(await rowsWhere(db, 'pickLists', 'status', ['open'])).toHaveLength(1);
    await db.transaction('rw', db.tables, () => writeLocalRow(db, 'pickLists', 'pl-1', { ...pickList, status: 'done' }));
    expect(await rowsWhere(db, 'pickLists', 'status', ['open'])).toEqual([]);
    expect(await rowsWhere(db, 'pickLists', 'status', ['done'])).toMatchObject([{ id: 'pl-1' }]);
  });
});

describe('upgrading a device that kept one record per row', () => {
  it('moves its rows into base blocks and keeps every one', async () => {
    const name = `rows-upgrade-${randomUUID()}`;
    const old = new Dexie(name);
    old.version(4).stores({ meta: 'key', products: 'id, *barcodes', stock: 'id, [productId+locationId], locationId' });
    await old.table('products').bulkPut([product(1), product(2)]);
    await old.table('stock').bulkPut([stock(1, 1)]);
    old.close();

    const upgraded = new DockhandDb(name);
    try {
      expect(await allRows(upgraded, 'products')).toEqual([product(1), product(2)]);
      expect(await getRow(upgraded, 'stock', stock(1, 1).id)).toEqual(stock(1, 1));
      expect(await upgraded.products.count()).toBe(0);
    } finally {
      upgraded.close();
      await upgraded.delete();
    }
  });
});
