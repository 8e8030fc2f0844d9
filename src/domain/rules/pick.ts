// Picking: units leave their bin for the pick list's staging location, one line at a time.
import type { ArgsOf } from '../mutations';
import type { PickLine } from '../entities';
import { canSeeOwner, forbidden, notFound, reject } from './access';
import type { Effect, Outcome, RuleContext } from './types';

export function isLineOpen(line: PickLine): boolean {
  return line.status === 'open' && line.pickedQty + line.shortQty < line.qty;
}

/** The line after `extra` more units are picked or shorted; done when nothing is left. */
export function advanceLine(line: PickLine, picked: number, shorted: number): PickLine {
  const pickedQty = line.pickedQty + picked;
  const shortQty = line.shortQty + shorted;
  return { ...line, pickedQty, shortQty, status: pickedQty + shortQty >= line.qty ? 'done' : 'open' };
}

export async function applyPick(args: ArgsOf<'pick'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const line = await reader.get('pickLines', args.pickLineId);
  if (!line) return notFound('Pick line', args.pickLineId);
  if (!canSeeOwner(ctx.actor, line.ownerId)) return forbidden('this pick list');
  if (!isLineOpen(line)) return reject('LINE_CLOSED', 'This line is already complete. Go to the next line.', { pickLineId: line.id });

  if (args.locationId !== line.locationId) {
    const right = await reader.get('locations', line.locationId);
    return reject('WRONG_LOCATION', `Wrong bin: go to ${right?.code ?? line.locationId}.`, {
      expectedLocationId: line.locationId,
      expectedLocationCode: right?.code ?? null,
    });
  }
  if (args.productId !== line.productId) {
    const right = await reader.get('products', line.productId);
    return reject('WRONG_PRODUCT', `Wrong item: this line wants ${right?.sku ?? line.productId} ${right?.name ?? ''}.`.trim(), {
      expectedProductId: line.productId,
    });
  }
  if (line.lot !== null && args.lot !== null && args.lot !== line.lot) {
    return reject('WRONG_PRODUCT', `Wrong lot: this line wants lot ${line.lot}.`, { expectedLot: line.lot });
  }

  const remaining = line.qty - line.pickedQty - line.shortQty;
  if (args.qty > remaining) {
    return reject('OVERPICK', `Only ${remaining} left to pick on this line. Put ${args.qty - remaining} back.`, {
      remaining,
      requested: args.qty,
    });
  }

  const lot = line.lot ?? args.lot;
  const rows = await reader.stock({ productId: line.productId, locationId: line.locationId, lot: lot ?? undefined, lpn: null });
  const available = rows.reduce((sum, row) => sum + row.qty, 0);
  if (available < args.qty) {
    return reject('INSUFFICIENT_STOCK', `Bin holds only ${available}. Pick ${available} and short-pick the rest.`, {
      available,
      requested: args.qty,
    });
  }

  const list = await reader.get('pickLists', line.pickListId);
  if (!list) return notFound('Pick list', line.pickListId);
  const effects: Effect[] = [];
  let left = args.qty;
  for (const row of rows) {
    if (left === 0) break;
    const take = Math.min(left, row.qty);
    left -= take;
    const moved = { ownerId: row.ownerId, productId: row.productId, lot: row.lot, expiry: row.expiry, lpn: null };
    effects.push({ kind: 'stock', ...moved, locationId: row.locationId, delta: -take });
    effects.push({ kind: 'stock', ...moved, locationId: list.stagingLocationId, delta: take });
  }
  effects.push({ kind: 'put', table: 'pickLines', row: advanceLine(line, args.qty, 0) });
  if (list.status === 'open') effects.push({ kind: 'put', table: 'pickLists', row: { ...list, status: 'in_progress' } });
  return { ok: true, effects };
}
