// Picking: units leave their bin for the pick list's staging location, one line at a time. The
// pick line, its order line and the pick list advance together.
import type { ArgsOf } from '../mutations';
import type { PickLine, PickList } from '../entities';
import { notFound, reject } from './access';
import { locationCode, productLabel } from './labels';
import { moveEffects, takeFefo, totalQty } from './stock';
import type { Effect, Outcome, Reader, RuleContext } from './types';

export function isLineOpen(line: PickLine): boolean {
  return line.status === 'open' && line.pickedQty + line.shortQty < line.qty;
}

export function remainingOnLine(line: PickLine): number {
  return Math.max(0, line.qty - line.pickedQty - line.shortQty);
}

/** The line after `picked` more units are picked and `shorted` more shorted (either may be negative to undo). */
export function advanceLine(line: PickLine, picked: number, shorted: number): PickLine {
  const pickedQty = line.pickedQty + picked;
  const shortQty = line.shortQty + shorted;
  return { ...line, pickedQty, shortQty, status: pickedQty + shortQty >= line.qty ? 'done' : 'open' };
}

/**
 * The pick list once `changed` replaces its stored version: done when every line is done, in
 * progress once anything has happened, or null when its status stays as it is.
 */
export async function listAfter(reader: Reader, list: PickList, changed: PickLine): Promise<PickList | null> {
  const lines = await reader.children('pickLines', list.id);
  const current = lines.some((line) => line.id === changed.id)
    ? lines.map((line) => (line.id === changed.id ? changed : line))
    : [...lines, changed];
  // A cancelled order's lines are finished business for the list.
  const status: PickList['status'] = current.every((line) => line.status !== 'open') ? 'done' : 'in_progress';
  return status === list.status ? null : { ...list, status };
}

/** The pick line, checked to exist (visible to the actor), and its pick list. */
export async function loadPickLine(
  args: { pickLineId: string },
  ctx: RuleContext,
  options: { undo?: boolean } = {},
): Promise<{ ok: true; line: PickLine; list: PickList } | { ok: false; outcome: Outcome }> {
  const line = await ctx.reader.get('pickLines', args.pickLineId);
  if (!line) return { ok: false, outcome: notFound('Pick line', args.pickLineId) };
  const list = await ctx.reader.get('pickLists', line.pickListId);
  if (!list) return { ok: false, outcome: notFound('Pick list', line.pickListId) };
  // Undoing a pick on a cancelled order's line is how its units go back: only new picks stop.
  if (line.status === 'cancelled' && !options.undo) {
    const order = await ctx.reader.get('orders', line.orderId);
    const name = order ? `Order ${order.number}` : 'This order';
    const cancelled = order === undefined || order.status === 'cancelled';
    const message = cancelled
      ? `${name} was cancelled. Do not pick it; put any units of it back.`
      : `${name} was taken off this pick list (on hold). Do not pick it; put any units of it back.`;
    return {
      ok: false,
      outcome: reject('DOCUMENT_CLOSED', message, { pickLineId: line.id, orderId: line.orderId, reason: cancelled ? 'ORDER_CANCELLED' : 'ORDER_HELD' }),
    };
  }
  if (list.status === 'cancelled') {
    return { ok: false, outcome: reject('DOCUMENT_CLOSED', 'This pick list was cancelled. Put the units back where they came from.', { pickListId: list.id }) };
  }
  if (list.status === 'held') {
    return { ok: false, outcome: reject('DOCUMENT_CLOSED', 'This pick list is on hold. Ask your supervisor before picking from it.', { pickListId: list.id, reason: 'HELD' }) };
  }
  return { ok: true, line, list };
}

export async function applyPick(args: ArgsOf<'pick'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadPickLine(args, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { line, list } = loaded;
  if (!isLineOpen(line)) return reject('LINE_CLOSED', 'This line is already complete. Go to the next line.', { pickLineId: line.id });

  if (args.locationId !== line.locationId) {
    const code = await locationCode(reader, line.locationId);
    return reject('WRONG_LOCATION', `Wrong bin: go to ${code}.`, {
      expectedLocationId: line.locationId,
      expectedLocationCode: code,
    });
  }
  if (args.productId !== line.productId) {
    return reject('WRONG_PRODUCT', `Wrong item: this line wants ${await productLabel(reader, line.productId)}.`, {
      expectedProductId: line.productId,
    });
  }
  if (line.lot !== null && args.lot !== null && args.lot !== line.lot) {
    return reject('WRONG_PRODUCT', `Wrong lot: this line wants lot ${line.lot}.`, { expectedLot: line.lot });
  }

  const remaining = remainingOnLine(line);
  if (args.qty > remaining) {
    return reject('OVERPICK', `Only ${remaining} left to pick on this line. Put ${args.qty - remaining} back.`, {
      remaining,
      requested: args.qty,
    });
  }

  const orderLine = await reader.get('orderLines', line.orderLineId);
  if (!orderLine) return notFound('Order line', line.orderLineId);
  // Pick lines are built from order lines, so this holds unless two lists were built for one line.
  if (orderLine.pickedQty + args.qty > orderLine.qty) {
    const left = Math.max(0, orderLine.qty - orderLine.pickedQty);
    return reject('OVERPICK', `The order needs only ${left} more. Put ${args.qty - left} back.`, {
      remaining: left,
      requested: args.qty,
    });
  }

  // A lot the scan named narrows the stock taken when the line did not fix one.
  const lot = line.lot ?? args.lot;
  const rows = await reader.stock({ productId: line.productId, locationId: line.locationId, lot: lot ?? undefined, lpn: null });
  const takes = takeFefo(rows, args.qty);
  if (!takes) {
    const available = totalQty(rows);
    return reject('INSUFFICIENT_STOCK', `Bin holds only ${available}. Pick ${available} and short-pick the rest.`, {
      available,
      requested: args.qty,
    });
  }

  const picked = advanceLine(line, args.qty, 0);
  const effects: Effect[] = [
    ...moveEffects(takes, list.stagingLocationId, () => null),
    { kind: 'put', table: 'pickLines', row: picked },
    { kind: 'put', table: 'orderLines', row: { ...orderLine, pickedQty: orderLine.pickedQty + args.qty } },
  ];
  const nextList = await listAfter(reader, list, picked);
  if (nextList) effects.push({ kind: 'put', table: 'pickLists', row: nextList });
  return { ok: true, effects };
}
