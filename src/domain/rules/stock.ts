// Stock helpers shared by the rules: FEFO order, taking units across lots, and the paired
// effects of moving units between locations. Balances only change through these effects.
import type { Location, StockRow } from '../entities';
import { reject } from './access';
import type { Outcome, Reader, StockEffect } from './types';

/** FEFO: earliest expiry first, no expiry last, then lot (no lot last), then LPN, then id. */
export function compareFefo(a: StockRow, b: StockRow): number {
  return (
    compareNullableLast(a.expiry, b.expiry) ||
    compareNullableLast(a.lot, b.lot) ||
    compareNullableLast(a.lpn, b.lpn) ||
    compareText(a.id, b.id)
  );
}

function compareNullableLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/** Code-unit order, not locale order, so the device and the server sort identically. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A FEFO-sorted copy; rules call it even though the Reader promises the order. */
export function sortFefo(rows: readonly StockRow[]): StockRow[] {
  return [...rows].filter((row) => row.qty > 0).sort(compareFefo);
}

export function totalQty(rows: readonly { qty: number }[]): number {
  return rows.reduce((sum, row) => sum + row.qty, 0);
}

export interface Take {
  row: StockRow;
  qty: number;
}

/** Takes `qty` units from `rows` in FEFO order; null when they hold fewer. */
export function takeFefo(rows: readonly StockRow[], qty: number): Take[] | null {
  const takes: Take[] = [];
  let left = qty;
  for (const row of sortFefo(rows)) {
    if (left === 0) break;
    const take = Math.min(left, row.qty);
    takes.push({ row, qty: take });
    left -= take;
  }
  return left === 0 ? takes : null;
}

/** The units of `take` leaving their row: a negative delta on the row's own key. */
export function outOf(take: Take): StockEffect {
  const { row } = take;
  return {
    kind: 'stock',
    ownerId: row.ownerId,
    locationId: row.locationId,
    productId: row.productId,
    lot: row.lot,
    expiry: row.expiry,
    lpn: row.lpn,
    delta: -take.qty,
  };
}

/** The units of `take` arriving at `locationId`, keeping lot and expiry; `lpn` as given. */
export function into(take: Take, locationId: string, lpn: string | null): StockEffect {
  return { ...outOf(take), locationId, lpn, delta: take.qty };
}

/** Both halves of moving `takes` to `locationId`. */
export function moveEffects(takes: readonly Take[], locationId: string, lpn: (row: StockRow) => string | null): StockEffect[] {
  return takes.flatMap((take) => [outOf(take), into(take, locationId, lpn(take.row))]);
}

/** Refuses adding `qty` units to a location with a capacity they would exceed; null when they fit. */
export async function checkCapacity(reader: Reader, location: Location, qty: number): Promise<Outcome | null> {
  if (location.capacity === null) return null;
  const held = totalQty(await reader.stockAt(location.id));
  if (held + qty <= location.capacity) return null;
  const room = Math.max(0, location.capacity - held);
  return reject(
    'INVALID_QUANTITY',
    `${location.code} has room for only ${room} more (holds ${held} of ${location.capacity}). Choose another bin or move ${room}.`,
    { locationId: location.id, capacity: location.capacity, held, requested: qty, room },
  );
}

/** "5 × lot L1 (exp 2026-01-31) on LPN X; 3 loose", for messages naming what a bin holds. */
export function describeRows(rows: readonly StockRow[], limit = 3): string {
  const sorted = sortFefo(rows);
  const parts = sorted.slice(0, limit).map((row) => {
    const bits = [`${row.qty}`];
    if (row.lot !== null) bits.push(`lot ${row.lot}`);
    if (row.expiry !== null) bits.push(`exp ${row.expiry}`);
    bits.push(row.lpn !== null ? `on LPN ${row.lpn}` : 'loose');
    return bits.join(' ');
  });
  if (sorted.length > limit) parts.push(`${sorted.length - limit} more`);
  return parts.join('; ');
}
