// The demo warehouse must load as-is: every row valid, every reference resolving, every barcode
// scannable, every pick line backed by stock.
import { describe, expect, it } from 'vitest';
import { TABLES, stockId, type TableName } from '../../src/domain/entities';
import { isValidGtin } from '../../src/domain/gtin';
import { demoWarehouse } from './demo';
import { checkWarehouse } from './check';

const TODAY = '2025-06-02';
const data = demoWarehouse(TODAY);
const rows = data.rows;

function all<T extends TableName>(table: T) {
  return rows[table] ?? [];
}

describe('demoWarehouse', () => {
  it('passes the structural checks every seed must pass', () => {
    expect(checkWarehouse(data, TODAY)).toEqual([]);
  });

  it('parses every row with its table schema', () => {
    for (const table of Object.keys(TABLES) as TableName[]) {
      for (const row of all(table)) expect(() => TABLES[table].parse(row), `${table} ${JSON.stringify(row)}`).not.toThrow();
    }
  });

  it('is deterministic for a given day', () => {
    expect(demoWarehouse(TODAY)).toEqual(data);
  });

  it('stores only valid GTIN-14 keys or upper-case SKU labels as barcodes', () => {
    const owners = new Map(all('owners').map((o) => [o.id, o]));
    for (const product of all('products')) {
      const gtins = product.barcodes.filter((b) => /^\d+$/.test(b));
      expect(gtins.length, product.sku).toBeGreaterThanOrEqual(1);
      for (const gtin of gtins) {
        expect(gtin).toHaveLength(14);
        expect(isValidGtin(gtin), gtin).toBe(true);
      }
      expect(product.barcodes).toContain(product.sku.toUpperCase());
      expect(product.sku.startsWith(`${owners.get(product.ownerId)?.code}-`)).toBe(true);
    }
    expect(all('products').filter((p) => p.barcodes.filter((b) => /^\d+$/.test(b)).length === 2).length).toBeGreaterThan(3);
  });

  it('has the shape the brief promises', () => {
    expect(all('owners').map((o) => o.name)).toEqual(['Northwind Coffee', 'Harbor Outdoor', 'Pip & Co Baby']);
    expect(all('owners').find((o) => o.id === 'own-harbor')?.allowUnexpectedItems).toBe(true);
    expect(all('products')).toHaveLength(60);
    expect(all('products').filter((p) => p.lotTracked && p.expiryTracked).length).toBeGreaterThanOrEqual(4);
    const bins = all('locations').filter((l) => l.type === 'pick_face' || l.type === 'storage');
    expect(bins).toHaveLength(120);
    for (const code of ['DOCK-1', 'DOCK-2', 'PACK-1', 'RET-1', 'QUAR-1', 'DMG-1']) {
      expect(all('locations').some((l) => l.code === code)).toBe(true);
    }
    expect(new Set(bins.map((l) => l.walkSeq)).size).toBe(bins.length);
    expect(all('receipts').filter((r) => r.status === 'open')).toHaveLength(3);
    const lotTracked = new Set(all('products').filter((p) => p.lotTracked).map((p) => p.id));
    expect(all('receiptLines').some((l) => lotTracked.has(l.productId))).toBe(true);
    expect(all('orders').filter((o) => o.status === 'allocated')).toHaveLength(12);
    expect(all('orders').every((o) => /^\d{19}$/.test(o.id))).toBe(true);
    const lists = all('pickLists');
    expect(lists.length).toBeGreaterThanOrEqual(3);
    for (const list of lists) {
      const lines = all('pickLines').filter((l) => l.pickListId === list.id);
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(lines.length).toBeLessThanOrEqual(10);
      expect(lines.map((l) => l.walkSeq)).toEqual([...lines.map((l) => l.walkSeq)].sort((a, b) => a - b));
    }
    expect(all('returns')).toHaveLength(1);
    expect(all('returnLines')).toHaveLength(2);
    expect(all('orders').find((o) => o.id === all('returns')[0]?.orderId)?.status).toBe('shipped');
    expect(all('shipments').map((s) => s.orderId)).toEqual([all('returns')[0]?.orderId]);
    const soon = all('stock').filter((s) => s.expiry !== null && s.expiry <= '2025-06-30');
    expect(soon.length).toBeGreaterThanOrEqual(1);
    expect(all('stock').every((s) => s.expiry === null || s.expiry > TODAY)).toBe(true);
  });

  it('keys stock rows by stockId', () => {
    for (const s of all('stock')) expect(s.id).toBe(stockId(s.locationId, s.productId, s.lot, s.lpn));
  });

  it('has the four sign-in users, one limited to Harbor', () => {
    expect(data.users.map((u) => [u.username, u.pin, u.role, u.ownerIds])).toEqual([
      ['operator', '1111', 'operator', null],
      ['supervisor', '2222', 'supervisor', null],
      ['admin', '9999', 'admin', null],
      ['harbor', '3333', 'operator', ['own-harbor']],
    ]);
  });
});
