// The benchmark warehouse at a small size: valid, unique, reproducible, and allocated.
import { describe, expect, it } from 'vitest';
import { checkWarehouse } from './check';
import { largeWarehouse } from './large';

const TODAY = '2025-06-02';
const opts = { products: 500, bins: 200, orders: 50, today: TODAY };
const data = largeWarehouse(opts);
const rows = data.rows;

describe('largeWarehouse', () => {
  it('passes the structural checks: schemas, unique ids, references, GTINs, covered pick lines', () => {
    expect(checkWarehouse(data, TODAY)).toEqual([]);
  });

  it('has the sizes asked for, two stock rows per product', () => {
    expect(rows.products).toHaveLength(500);
    expect(rows.locations?.filter((l) => l.type === 'pick_face' || l.type === 'storage')).toHaveLength(200);
    expect(rows.stock).toHaveLength(1000);
    expect(rows.orders).toHaveLength(50);
  });

  it('gives every barcode key to one product only', () => {
    const keys = rows.products?.flatMap((p) => p.barcodes) ?? [];
    expect(new Set(keys).size).toBe(keys.length);
    const stockIds = rows.stock?.map((s) => s.id) ?? [];
    expect(new Set(stockIds).size).toBe(stockIds.length);
  });

  it('allocates the orders into pick lists of at most five orders of one owner', () => {
    expect(rows.orders?.every((o) => o.status === 'allocated' && /^\d{19}$/.test(o.id))).toBe(true);
    for (const list of rows.pickLists ?? []) {
      const lines = rows.pickLines?.filter((l) => l.pickListId === list.id) ?? [];
      expect(new Set(lines.map((l) => l.orderId)).size).toBeLessThanOrEqual(5);
      expect(lines.every((l) => l.ownerId === list.ownerId)).toBe(true);
    }
  });

  it('is the same warehouse every time', () => {
    expect(largeWarehouse(opts)).toEqual(data);
  });

  it('copes with tiny sizes', () => {
    expect(checkWarehouse(largeWarehouse({ products: 3, bins: 2, orders: 4, today: TODAY }), TODAY)).toEqual([]);
    expect(checkWarehouse(largeWarehouse({ products: 1, bins: 5, orders: 0, today: TODAY }), TODAY)).toEqual([]);
  });
});
