// Structural checks every seed must pass before it is loaded: rows valid, ids unique, references
// resolving, barcodes scannable and unambiguous, pick lines backed by the stock they name.
import { TABLES, stockId, type RowOf, type TableName } from '../../src/domain/entities';
import { isValidGtin } from '../../src/domain/gtin';
import type { WarehouseData } from './types';

/** Every problem found, as readable sentences; empty when the data is sound. */
export function checkWarehouse(data: WarehouseData, today: string): string[] {
  const problems: string[] = [];
  const rows = <T extends TableName>(table: T): RowOf<T>[] => (data.rows[table] ?? []) as RowOf<T>[];
  const ids = new Map<TableName, Set<string>>();

  for (const table of Object.keys(TABLES) as TableName[]) {
    const seen = new Set<string>();
    for (const row of rows(table)) {
      const parsed = TABLES[table].safeParse(row);
      if (!parsed.success) problems.push(`${table} ${row.id}: ${parsed.error.message}`);
      if (seen.has(row.id)) problems.push(`${table}: duplicate id ${row.id}`);
      seen.add(row.id);
    }
    ids.set(table, seen);
  }

  const ref = (from: string, table: TableName, id: string | null) => {
    if (id !== null && !ids.get(table)?.has(id)) problems.push(`${from} names a missing ${table} row ${id}`);
  };
  const owned = (from: string, ownerId: string) => ref(from, 'owners', ownerId);

  const locations = new Map(rows('locations').map((l) => [l.id, l]));
  const products = new Map(rows('products').map((p) => [p.id, p]));
  const barcodeOwner = new Map<string, string>();
  for (const p of rows('products')) {
    owned(`product ${p.id}`, p.ownerId);
    ref(`product ${p.id}`, 'locations', p.pickFaceLocationId);
    if (p.pickFaceLocationId !== null && locations.get(p.pickFaceLocationId)?.type !== 'pick_face') {
      problems.push(`product ${p.id}: its pick face ${p.pickFaceLocationId} is not a pick_face location`);
    }
    for (const code of p.barcodes) {
      if (/^\d+$/.test(code) && (code.length !== 14 || !isValidGtin(code))) problems.push(`product ${p.id}: bad GTIN key ${code}`);
      if (code !== code.toUpperCase()) problems.push(`product ${p.id}: barcode key ${code} is not upper-cased`);
      const other = barcodeOwner.get(code);
      if (other !== undefined && other !== p.id) problems.push(`barcode ${code} belongs to ${other} and ${p.id}`);
      barcodeOwner.set(code, p.id);
    }
  }

  const stockById = new Map<string, RowOf<'stock'>>();
  for (const s of rows('stock')) {
    const from = `stock ${s.id}`;
    owned(from, s.ownerId);
    ref(from, 'locations', s.locationId);
    ref(from, 'products', s.productId);
    if (s.id !== stockId(s.locationId, s.productId, s.lot, s.lpn)) problems.push(`${from}: id is not stockId(...)`);
    if (products.get(s.productId)?.ownerId !== s.ownerId) problems.push(`${from}: owner differs from its product's`);
    if (s.lpn !== null) ref(from, 'lpns', s.lpn);
    if (s.expiry !== null && s.expiry < today) problems.push(`${from}: expired on ${s.expiry}`);
    stockById.set(s.id, s);
  }
  for (const l of rows('lpns')) {
    owned(`lpn ${l.id}`, l.ownerId);
    ref(`lpn ${l.id}`, 'locations', l.locationId);
  }
  for (const r of rows('receipts')) {
    owned(`receipt ${r.id}`, r.ownerId);
    ref(`receipt ${r.id}`, 'locations', r.dockLocationId);
    if (locations.get(r.dockLocationId)?.type !== 'dock') problems.push(`receipt ${r.id}: dock is not a dock location`);
  }
  for (const l of rows('receiptLines')) {
    owned(`receipt line ${l.id}`, l.ownerId);
    ref(`receipt line ${l.id}`, 'receipts', l.receiptId);
    ref(`receipt line ${l.id}`, 'products', l.productId);
  }
  const orders = new Map(rows('orders').map((o) => [o.id, o]));
  for (const o of rows('orders')) owned(`order ${o.id}`, o.ownerId);
  const orderLines = new Map(rows('orderLines').map((l) => [l.id, l]));
  for (const l of rows('orderLines')) {
    ref(`order line ${l.id}`, 'orders', l.orderId);
    ref(`order line ${l.id}`, 'products', l.productId);
    if (orders.get(l.orderId)?.ownerId !== l.ownerId) problems.push(`order line ${l.id}: owner differs from its order's`);
  }
  const pickLists = new Map(rows('pickLists').map((p) => [p.id, p]));
  for (const p of rows('pickLists')) {
    owned(`pick list ${p.id}`, p.ownerId);
    ref(`pick list ${p.id}`, 'locations', p.stagingLocationId);
  }

  // Units promised per stock row must not exceed what the row holds.
  const promised = new Map<string, number>();
  for (const l of rows('pickLines')) {
    const from = `pick line ${l.id}`;
    ref(from, 'pickLists', l.pickListId);
    ref(from, 'orders', l.orderId);
    ref(from, 'orderLines', l.orderLineId);
    ref(from, 'products', l.productId);
    ref(from, 'locations', l.locationId);
    if (pickLists.get(l.pickListId)?.ownerId !== l.ownerId) problems.push(`${from}: owner differs from its list's`);
    const orderLine = orderLines.get(l.orderLineId);
    if (orderLine && (orderLine.orderId !== l.orderId || orderLine.productId !== l.productId)) {
      problems.push(`${from}: does not match its order line`);
    }
    if (locations.get(l.locationId)?.walkSeq !== l.walkSeq) problems.push(`${from}: walkSeq is not its bin's`);
    const key = stockId(l.locationId, l.productId, l.lot, null);
    const left = l.qty - l.pickedQty - l.shortQty;
    promised.set(key, (promised.get(key) ?? 0) + left);
  }
  for (const [key, qty] of promised) {
    const held = stockById.get(key)?.qty ?? 0;
    if (held < qty) problems.push(`stock ${key} holds ${held} but pick lines want ${qty}`);
  }

  for (const s of rows('shipments')) {
    owned(`shipment ${s.id}`, s.ownerId);
    ref(`shipment ${s.id}`, 'orders', s.orderId);
  }
  for (const r of rows('returns')) {
    owned(`return ${r.id}`, r.ownerId);
    ref(`return ${r.id}`, 'orders', r.orderId);
    ref(`return ${r.id}`, 'locations', r.returnsLocationId);
  }
  for (const l of rows('returnLines')) {
    owned(`return line ${l.id}`, l.ownerId);
    ref(`return line ${l.id}`, 'returns', l.returnId);
    ref(`return line ${l.id}`, 'products', l.productId);
  }
  for (const u of data.users) for (const id of u.ownerIds ?? []) owned(`user ${u.username}`, id);
  return problems;
}
