// Shipping: a packed order (its cartons closed) leaves the building. Its packed units leave the
// staging locations they were picked to, a shipment records the carrier and tracking number, the
// order closes.
import type { ArgsOf } from '../mutations';
import type { OrderLine, PickLine, StockRow } from '../entities';
import { reject } from './access';
import { locationCode, productLabel } from './labels';
import { loadOrder, packingGaps, unitsIn } from './pack';
import { outOf, sortFefo, totalQty, type Take } from './stock';
import type { Effect, Outcome, Reader, RuleContext } from './types';

export function shipmentId(orderId: string): string {
  return `${orderId}:shipment`;
}

/**
 * Takes `qty` units of an order line from where its picks were staged: first the lots its own
 * pick lines took (another order's lot at the same station is not this order's), then FEFO.
 */
async function takeForLine(
  reader: Reader,
  line: OrderLine,
  picks: readonly PickLine[],
  stagingOf: ReadonlyMap<string, string>,
): Promise<{ takes: Take[] | null; available: number; locations: string[] }> {
  const locations = [...new Set(picks.map((pick) => stagingOf.get(pick.pickListId)).filter((id): id is string => id !== undefined))];
  const rows: StockRow[] = [];
  for (const locationId of locations) rows.push(...(await reader.stock({ productId: line.productId, locationId, lpn: null })));

  const remaining = new Map(rows.map((row) => [row.id, row.qty]));
  const takes: Take[] = [];
  let left = line.packedQty;
  const take = (row: StockRow, most: number): void => {
    const qty = Math.min(most, left, remaining.get(row.id) ?? 0);
    if (qty <= 0) return;
    takes.push({ row, qty });
    remaining.set(row.id, (remaining.get(row.id) ?? 0) - qty);
    left -= qty;
  };
  for (const pick of picks) {
    if (pick.lot === null || pick.pickedQty === 0) continue;
    let budget = pick.pickedQty;
    for (const row of sortFefo(rows)) {
      if (row.lot !== pick.lot || row.locationId !== stagingOf.get(pick.pickListId)) continue;
      const before = left;
      take(row, budget);
      budget -= before - left;
    }
  }
  for (const row of sortFefo(rows)) take(row, left);
  return { takes: left === 0 ? mergeTakes(takes) : null, available: totalQty(rows), locations };
}

function mergeTakes(takes: readonly Take[]): Take[] {
  const byRow = new Map<string, Take>();
  for (const take of takes) {
    const seen = byRow.get(take.row.id);
    byRow.set(take.row.id, seen ? { row: take.row, qty: seen.qty + take.qty } : take);
  }
  return [...byRow.values()];
}

export async function applyShip(args: ArgsOf<'ship'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadOrder(args.orderId, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { order } = loaded;

  const lines = await reader.children('orderLines', order.id);
  const picks = await reader.pickLinesOfOrder(order.id);
  if (order.status !== 'packed') {
    const gaps = packingGaps(lines, picks);
    const missing: string[] = [];
    for (const line of gaps.unpacked) missing.push(`${line.pickedQty - line.packedQty} × ${await productLabel(reader, line.productId)}`);
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`still to pack: ${missing.join(', ')}`);
    if (gaps.openPicks.length > 0) parts.push(`${gaps.openPicks.length} pick line(s) still open`);
    if (gaps.nothingPicked) parts.push('nothing has been picked');
    if (order.status === 'on_hold') parts.push('it waits for a supervisor');
    return reject('NOT_PACKED', `Order ${order.number} is not packed: ${parts.join('; ') || 'close its cartons'}. Pack it, then ship.`, {
      orderId: order.id,
      unpacked: gaps.unpacked.map((line) => ({ orderLineId: line.id, productId: line.productId, missing: line.pickedQty - line.packedQty })),
      openPickLines: gaps.openPicks.map((line) => line.id),
    });
  }
  // A carton still open has no box and no weight, or units moved into it after the order closed.
  const cartonLines = await reader.children('cartonLines', order.id);
  const open = (await reader.children('cartons', order.id)).filter((carton) => carton.status === 'open' && unitsIn(cartonLines, carton.id) > 0);
  if (open.length > 0) {
    return reject('NOT_PACKED', `Order ${order.number} has carton ${open.map((carton) => carton.label).join(', ')} still open: close it with its box and weight, then ship.`, {
      orderId: order.id,
      openCartons: open.map((carton) => carton.label),
    });
  }

  const stagingOf = new Map<string, string>();
  for (const listId of new Set(picks.map((pick) => pick.pickListId))) {
    const list = await reader.get('pickLists', listId);
    if (list) stagingOf.set(list.id, list.stagingLocationId);
  }

  const effects: Effect[] = [];
  for (const line of lines) {
    if (line.packedQty === 0) continue;
    const found = await takeForLine(reader, line, picks.filter((pick) => pick.orderLineId === line.id), stagingOf);
    if (!found.takes) {
      const where = (await Promise.all(found.locations.map((id) => locationCode(reader, id)))).join(', ') || 'the pack station';
      return reject(
        'INSUFFICIENT_STOCK',
        `Only ${found.available} of ${await productLabel(reader, line.productId)} are at ${where}, ${line.packedQty} packed. Find the units or ask a supervisor.`,
        { orderLineId: line.id, productId: line.productId, available: found.available, requested: line.packedQty },
      );
    }
    effects.push(...found.takes.map(outOf));
  }

  effects.push({
    kind: 'put',
    table: 'shipments',
    row: { id: shipmentId(order.id), ownerId: order.ownerId, orderId: order.id, carrier: args.carrier, trackingNumber: args.trackingNumber, shippedAt: ctx.now },
  });
  effects.push({ kind: 'put', table: 'orders', row: { ...order, status: 'shipped' } });
  return { ok: true, effects };
}
