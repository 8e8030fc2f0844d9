// Allocation: FEFO, no over-allocation across lines, walk order, splits, batching per owner.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateOrders, renumberLists, type AllocatableOrder, type AllocationInput } from './allocation';
import type { Location, LocationType, Order, OrderLine, PickLine, Product, StockRow } from './entities';
import { stockId } from './entities';

const TODAY = '2025-06-01';

function loc(code: string, type: LocationType, walkSeq: number): Location {
  return { id: `loc-${code}`, code, zone: 'A', type, aisle: null, level: null, walkSeq, capacity: null };
}

function product(id: string, opts: Partial<Product> = {}): Product {
  return {
    id,
    ownerId: 'own-a',
    sku: id.toUpperCase(),
    name: id,
    barcodes: [id.toUpperCase()],
    lotTracked: false,
    expiryTracked: false,
    serialTracked: false,
    zone: 'A',
    pickFaceLocationId: null,
    ...opts,
  };
}

function stock(locationId: string, productId: string, qty: number, lot: string | null = null, expiry: string | null = null, ownerId = 'own-a'): StockRow {
  return { id: stockId(locationId, productId, lot, null), ownerId, locationId, productId, lot, expiry, lpn: null, qty };
}

function order(id: string, ownerId = 'own-a', createdAt = `2025-06-01T08:00:${id.padStart(2, '0')}Z`): Order {
  return { id, ownerId, number: `#${id}`, source: 'demo', status: 'open', customerName: 'C', createdAt };
}

function line(orderId: string, productId: string, qty: number, n = 1, ownerId = 'own-a'): OrderLine {
  return { id: `${orderId}-${n}`, orderId, ownerId, productId, qty, pickedQty: 0, packedQty: 0 };
}

const locations = [
  loc('A-01-1', 'pick_face', 10),
  loc('A-02-1', 'pick_face', 20),
  loc('A-03-2', 'storage', 30),
  loc('A-04-2', 'storage', 40),
  loc('DOCK-1', 'dock', 0),
  loc('PACK-1', 'pack', 900),
  loc('RET-1', 'returns', 910),
  loc('QUAR-1', 'quarantine', 920),
  loc('DMG-1', 'damaged', 930),
];

function run(partial: Partial<AllocationInput>) {
  return allocateOrders({
    orders: [],
    orderLines: [],
    stock: [],
    locations,
    products: [],
    stagingLocationId: 'loc-PACK-1',
    today: TODAY,
    createdAt: '2025-06-01T09:00:00Z',
    ...partial,
  });
}

function reservedOf(lines: PickLine[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const l of lines) {
    const key = stockId(l.locationId, l.productId, l.lot, null);
    map.set(key, (map.get(key) ?? 0) + l.qty);
  }
  return map;
}

describe('allocateOrders', () => {
  it('takes the earliest expiry first for expiry-tracked products, even from storage', () => {
    const p = product('p1', { lotTracked: true, expiryTracked: true, pickFaceLocationId: 'loc-A-01-1' });
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 4)],
      stock: [stock('loc-A-01-1', 'p1', 10, 'L-LATE', '2026-01-01'), stock('loc-A-03-2', 'p1', 10, 'L-SOON', '2025-07-01')],
    });
    expect(result.pickLines).toHaveLength(1);
    expect(result.pickLines[0]).toMatchObject({ locationId: 'loc-A-03-2', lot: 'L-SOON', qty: 4, walkSeq: 30 });
    expect(result.shortfalls).toEqual([]);
  });

  it('never allocates an expired lot, but one expiring today is still in date', () => {
    const p = product('p1', { lotTracked: true, expiryTracked: true });
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 5)],
      stock: [
        stock('loc-A-01-1', 'p1', 5, 'L-OLD', '2025-05-31'),
        stock('loc-A-02-1', 'p1', 3, 'L-TODAY', TODAY),
        stock('loc-A-03-2', 'p1', 2, 'L-NEW', '2025-09-01'),
      ],
    });
    expect(result.pickLines.map((l) => [l.lot, l.qty])).toEqual([
      ['L-TODAY', 3],
      ['L-NEW', 2],
    ]);
    // Eight would need the expired lot: the order waits whole, nothing taken.
    const more = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 8)],
      stock: [stock('loc-A-01-1', 'p1', 5, 'L-OLD', '2025-05-31'), stock('loc-A-02-1', 'p1', 3, 'L-TODAY', TODAY)],
    });
    expect(more.pickLines).toEqual([]);
    expect(more.shortfalls).toEqual([
      { orderId: '1', orderLineId: '1-1', productId: 'p1', requested: 8, allocated: 3, short: 5, reason: 'no_stock' },
    ]);
  });

  it('prefers pick faces over storage for products without expiry', () => {
    const p = product('p1', { pickFaceLocationId: 'loc-A-02-1' });
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 2)],
      stock: [stock('loc-A-03-2', 'p1', 50), stock('loc-A-02-1', 'p1', 5)],
    });
    expect(result.pickLines.map((l) => l.locationId)).toEqual(['loc-A-02-1']);
  });

  it('splits a line across bins when one bin cannot cover it', () => {
    const p = product('p1', { pickFaceLocationId: 'loc-A-01-1' });
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 7)],
      stock: [stock('loc-A-01-1', 'p1', 3), stock('loc-A-04-2', 'p1', 10)],
    });
    expect(result.pickLines.map((l) => [l.locationId, l.qty, l.orderLineId])).toEqual([
      ['loc-A-01-1', 3, '1-1'],
      ['loc-A-04-2', 4, '1-1'],
    ]);
    expect(result.reservations).toEqual([
      { stockId: stockId('loc-A-01-1', 'p1', null, null), locationId: 'loc-A-01-1', productId: 'p1', lot: null, qty: 3 },
      { stockId: stockId('loc-A-04-2', 'p1', null, null), locationId: 'loc-A-04-2', productId: 'p1', lot: null, qty: 4 },
    ]);
  });

  it('never promises the same units twice across lines and orders', () => {
    const p = product('p1');
    const result = run({
      products: [p],
      orders: [order('1'), order('2'), order('3')],
      orderLines: [line('1', 'p1', 4), line('1', 'p1', 3, 2), line('2', 'p1', 4), line('3', 'p1', 5)],
      stock: [stock('loc-A-01-1', 'p1', 6), stock('loc-A-03-2', 'p1', 4)],
    });
    const reserved = reservedOf(result.pickLines);
    expect(reserved.get(stockId('loc-A-01-1', 'p1', null, null))).toBe(6);
    expect(reserved.get(stockId('loc-A-03-2', 'p1', null, null))).toBe(1);
    // Oldest order first: order 1 gets its 7; orders 2 and 3 cannot be filled from the last 3
    // and take nothing (a parcel ships complete).
    expect(result.shortfalls.map((s) => [s.orderLineId, s.allocated, s.short])).toEqual([
      ['2-1', 3, 1],
      ['3-1', 3, 2],
    ]);
    expect(result.orders.map((o) => [o.id, o.status])).toEqual([['1', 'allocated']]);
  });

  it('counts units still owed to earlier open pick lines as taken', () => {
    const p = product('p1');
    const earlier: PickLine = {
      id: 'pkl-000001-001',
      pickListId: 'pkl-000001',
      ownerId: 'own-a',
      orderId: '0',
      orderLineId: '0-1',
      productId: 'p1',
      locationId: 'loc-A-01-1',
      lot: null,
      qty: 5,
      pickedQty: 1,
      shortQty: 0,
      shortReason: null,
      status: 'open',
      walkSeq: 10,
    };
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 6)],
      stock: [stock('loc-A-01-1', 'p1', 9)],
      openPickLines: [earlier],
    });
    // 9 on hand, 4 still owed to the earlier line: 5 free, one short of 6.
    expect(result.pickLines).toEqual([]);
    expect(result.shortfalls[0]).toMatchObject({ allocated: 5, short: 1 });
    const fits = run({ products: [p], orders: [order('1')], orderLines: [line('1', 'p1', 5)], stock: [stock('loc-A-01-1', 'p1', 9)], openPickLines: [earlier] });
    expect(fits.pickLines.map((l) => l.qty)).toEqual([5]);
  });

  it('ignores dock, pack, returns, quarantine, damaged, LPN and other owners’ stock', () => {
    const p = product('p1');
    const result = run({
      products: [p],
      orders: [order('1')],
      orderLines: [line('1', 'p1', 3)],
      stock: [
        stock('loc-DOCK-1', 'p1', 5),
        stock('loc-PACK-1', 'p1', 5),
        stock('loc-RET-1', 'p1', 5),
        stock('loc-QUAR-1', 'p1', 5),
        stock('loc-DMG-1', 'p1', 5),
        { ...stock('loc-A-01-1', 'p1', 5), id: stockId('loc-A-01-1', 'p1', null, 'LPN1'), lpn: 'LPN1' },
        stock('loc-A-02-1', 'p1', 5, null, null, 'own-b'),
      ],
    });
    expect(result.pickLines).toEqual([]);
    expect(result.orders).toEqual([]);
    expect(result.pickLists).toEqual([]);
    expect(result.shortfalls).toHaveLength(1);
  });

  it('sorts each list by walk order across its orders', () => {
    const products = ['p1', 'p2', 'p3'].map((id, i) => product(id, { pickFaceLocationId: locations[2 - i]?.id ?? null }));
    const result = run({
      products,
      orders: [order('1'), order('2')],
      orderLines: [line('1', 'p1', 1), line('1', 'p2', 1, 2), line('2', 'p3', 1), line('2', 'p1', 1, 2)],
      stock: [stock('loc-A-03-2', 'p1', 5), stock('loc-A-02-1', 'p2', 5), stock('loc-A-01-1', 'p3', 5)],
    });
    expect(result.pickLists).toHaveLength(1);
    expect(result.pickLines.map((l) => [l.walkSeq, l.productId, l.orderId])).toEqual([
      [10, 'p3', '2'],
      [20, 'p2', '1'],
      [30, 'p1', '1'],
      [30, 'p1', '2'],
    ]);
    expect(result.pickLines.map((l) => l.id)).toEqual(['pkl-000001-001', 'pkl-000001-002', 'pkl-000001-003', 'pkl-000001-004']);
  });

  it('batches up to N orders of one owner per list, never mixing owners', () => {
    const pa = product('pa');
    const pb = product('pb', { ownerId: 'own-b' });
    const orders = [
      ...['1', '2', '3', '4', '5'].map((id) => order(id, 'own-a')),
      ...['6', '7', '8'].map((id) => order(id, 'own-b')),
    ];
    const orderLines = orders.map((o) => line(o.id, o.ownerId === 'own-a' ? 'pa' : 'pb', 1, 1, o.ownerId));
    const result = run({
      products: [pa, pb],
      orders,
      orderLines,
      stock: [stock('loc-A-01-1', 'pa', 100), stock('loc-A-02-1', 'pb', 100, null, null, 'own-b')],
      ordersPerList: 2,
      firstListNumber: 123,
    });
    expect(result.pickLists.map((l) => [l.number, l.ownerId, l.stagingLocationId])).toEqual([
      ['PL-000123', 'own-a', 'loc-PACK-1'],
      ['PL-000124', 'own-a', 'loc-PACK-1'],
      ['PL-000125', 'own-a', 'loc-PACK-1'],
      ['PL-000126', 'own-b', 'loc-PACK-1'],
      ['PL-000127', 'own-b', 'loc-PACK-1'],
    ]);
    for (const list of result.pickLists) {
      const lines = result.pickLines.filter((l) => l.pickListId === list.id);
      expect(new Set(lines.map((l) => l.orderId)).size).toBeLessThanOrEqual(2);
      expect(lines.every((l) => l.ownerId === list.ownerId)).toBe(true);
    }
    expect(result.orders).toHaveLength(8);
    expect(result.orders.every((o) => o.status === 'allocated')).toBe(true);
  });

  it('defaults to five orders per list and is deterministic', () => {
    const p = product('p1');
    const orders = Array.from({ length: 12 }, (_, i) => order(String(i + 1)));
    const input = {
      products: [p],
      orders,
      orderLines: orders.map((o) => line(o.id, 'p1', 1)),
      stock: [stock('loc-A-01-1', 'p1', 100)],
    };
    const first = run(input);
    expect(first.pickLists).toHaveLength(3);
    expect(run(input)).toEqual(first);
  });

  it('reports lines of unknown products and skips orders that are not open', () => {
    const result = run({
      products: [],
      orders: [order('1'), { ...order('2'), status: 'allocated' }],
      orderLines: [line('1', 'ghost', 2), line('2', 'ghost', 2)],
      stock: [],
    });
    expect(result.shortfalls).toEqual([
      { orderId: '1', orderLineId: '1-1', productId: 'ghost', requested: 2, allocated: 0, short: 2, reason: 'unknown_product' },
    ]);
  });

  it('serves the earliest ship-by date first, then express shipping, then the oldest order', () => {
    const p = product('p1');
    const orders: AllocatableOrder[] = [
      { ...order('1'), shipBy: null },
      { ...order('2'), shipBy: '2025-06-03' },
      { ...order('3'), shipBy: '2025-06-02', express: false },
      { ...order('4'), shipBy: '2025-06-02', express: true },
    ];
    const result = run({ products: [p], orders, orderLines: orders.map((o) => line(o.id, 'p1', 1)), stock: [stock('loc-A-01-1', 'p1', 2)] });
    // Two units: the two orders due first get them, the express one ahead; the rest wait.
    expect(result.orders.map((o) => o.id)).toEqual(['4', '3']);
    expect(result.shortfalls.map((s) => s.orderId)).toEqual(['2', '1']);
    // What only decided the order's turn stays off the synced row.
    expect(result.orders[0]).not.toHaveProperty('shipBy');
  });

  it('allocates backordered orders again, and caps the lines on one list', () => {
    const products = ['p1', 'p2', 'p3'].map((id) => product(id));
    const orders = ['1', '2', '3'].map((id) => ({ ...order(id), status: 'backordered' as const }));
    const result = run({
      products,
      orders,
      orderLines: orders.flatMap((o) => products.map((p, i) => line(o.id, p.id, 1, i + 1))),
      stock: products.map((p) => stock('loc-A-03-2', p.id, 10)),
      linesPerList: 6,
    });
    expect(result.orders).toHaveLength(3);
    expect(result.pickLists.map((list) => result.pickLines.filter((l) => l.pickListId === list.id).length)).toEqual([6, 3]);
  });

  it('renumbers lists and their lines from numbers the caller draws', () => {
    const p = product('p1');
    const orders = Array.from({ length: 7 }, (_, i) => order(String(i + 1)));
    const result = renumberLists(run({ products: [p], orders, orderLines: orders.map((o) => line(o.id, 'p1', 1)), stock: [stock('loc-A-01-1', 'p1', 9)] }), [41, 57]);
    expect(result.pickLists.map((l) => [l.id, l.number])).toEqual([['pkl-000041', 'PL-000041'], ['pkl-000057', 'PL-000057']]);
    expect(result.pickLines.every((l) => l.id.startsWith(`${l.pickListId}-`))).toBe(true);
  });

  it('property: never over-promises a row, fills every allocated order whole, keeps FEFO and walk order', () => {
    const bins = locations.filter((l) => l.type === 'pick_face' || l.type === 'storage');
    const lots = ['L1', 'L2', 'L3'];
    const expiries = ['2025-05-20', '2025-06-01', '2025-07-01', '2025-08-15'];
    const world = fc.record({
      expiry: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      rows: fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), bin: fc.integer({ min: 0, max: bins.length - 1 }), lot: fc.integer({ min: 0, max: 2 }), expiry: fc.integer({ min: 0, max: 3 }), qty: fc.integer({ min: 1, max: 6 }) }), { maxLength: 12 }),
      orders: fc.array(fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3 }), { maxLength: 10 }),
      earlier: fc.array(fc.record({ row: fc.nat(), qty: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
      ordersPerList: fc.integer({ min: 1, max: 4 }),
      linesPerList: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(
      fc.property(world, (w) => {
        const products = w.expiry.map((tracked, i) => product(`p${i}`, { lotTracked: tracked, expiryTracked: tracked }));
        const stockById = new Map<string, StockRow>();
        for (const r of w.rows) {
          const p = products[r.p]!;
          const row = stock(bins[r.bin]!.id, p.id, r.qty, p.lotTracked ? lots[r.lot]! : null, p.expiryTracked ? expiries[r.expiry]! : null);
          const same = stockById.get(row.id);
          if (same) same.qty += row.qty;
          else stockById.set(row.id, row);
        }
        const rows = [...stockById.values()];
        const openPickLines: PickLine[] = w.earlier.flatMap((e, i) => {
          const row = rows[e.row % Math.max(1, rows.length)];
          if (!row) return [];
          return [{ id: `old-${i}`, pickListId: 'old', ownerId: 'own-a', orderId: 'old', orderLineId: `old-${i}`, productId: row.productId, locationId: row.locationId, lot: row.lot, qty: e.qty, pickedQty: 0, shortQty: 0, shortReason: null, status: 'open' as const, walkSeq: 0 }];
        });
        const orders = w.orders.map((_, i) => order(String(i + 1)));
        const orderLines = w.orders.flatMap((lines, i) => lines.map((l, n) => line(String(i + 1), `p${l.p}`, l.qty, n + 1)));
        const result = run({ products, orders, orderLines, stock: rows, openPickLines, ordersPerList: w.ordersPerList, linesPerList: w.linesPerList });

        // Never over-promised: earlier promises and this run's together fit every row.
        const promised = reservedOf([...openPickLines, ...result.pickLines]);
        const free = new Map(rows.map((r) => [r.id, r.qty - (promised.get(r.id) ?? 0)]));
        const earlier = reservedOf(openPickLines);
        for (const r of result.reservations) expect(r.qty).toBeLessThanOrEqual(Math.max(0, stockById.get(r.stockId)!.qty - (earlier.get(r.stockId) ?? 0)));
        expect(reservedOf(result.pickLines)).toEqual(new Map(result.reservations.map((r) => [r.stockId, r.qty])));
        // Every allocated order whole; every other one reported.
        const allocated = new Set(result.orders.map((o) => o.id));
        for (const l of orderLines) {
          const got = result.pickLines.filter((p) => p.orderLineId === l.id).reduce((n, p) => n + p.qty, 0);
          expect(got).toBe(allocated.has(l.orderId) ? l.qty : 0);
        }
        for (const o of orders) expect(allocated.has(o.id) || result.shortfalls.some((s) => s.orderId === o.id)).toBe(true);
        // FEFO: no in-date row of an expiry-tracked product with an earlier expiry is left free
        // while a later one was taken.
        for (const pl of result.pickLines) {
          const taken = stockById.get(stockId(pl.locationId, pl.productId, pl.lot, null))!;
          if (taken.expiry === null) continue;
          for (const other of rows) {
            if (other.productId !== taken.productId || other.expiry === null || other.expiry < TODAY) continue;
            if (other.expiry < taken.expiry) expect(Math.max(0, free.get(other.id)!)).toBe(0);
          }
        }
        // Walk order within every list; one owner and at most the caps per list.
        for (const list of result.pickLists) {
          const lines = result.pickLines.filter((l) => l.pickListId === list.id);
          expect(lines.map((l) => l.walkSeq)).toEqual([...lines.map((l) => l.walkSeq)].sort((a, b) => a - b));
          expect(new Set(lines.map((l) => l.orderId)).size).toBeLessThanOrEqual(w.ordersPerList);
          if (new Set(lines.map((l) => l.orderId)).size > 1) expect(lines.length).toBeLessThanOrEqual(w.linesPerList);
        }
      }),
      { numRuns: 400, seed: 20261206 },
    );
  });
});
