// Undo the last scan: picked units go back from the staging location to the line's bin, and
// the pick line, its order line and the pick list step back with them.
import type { ArgsOf } from '../mutations';
import { notFound, reject } from './access';
import { advanceLine, listAfter, loadPickLine } from './pick';
import { locationCode } from './labels';
import { moveEffects, takeFefo, totalQty } from './stock';
import type { Effect, Outcome, RuleContext } from './types';

export async function applyUnpick(args: ArgsOf<'unpick'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadPickLine(args, ctx, { undo: true });
  if (!loaded.ok) return loaded.outcome;
  const { line, list } = loaded;

  if (args.qty > line.pickedQty) {
    return reject('INVALID_QUANTITY', `Only ${line.pickedQty} picked on this line: undo at most ${line.pickedQty}.`, {
      picked: line.pickedQty,
      requested: args.qty,
    });
  }

  const orderLine = await reader.get('orderLines', line.orderLineId);
  if (!orderLine) return notFound('Order line', line.orderLineId);
  const order = await reader.get('orders', line.orderId);
  if (order?.status === 'shipped') {
    return reject('ALREADY_SHIPPED', 'This order has shipped: its units cannot go back to the bin. Book a return instead.', {
      orderId: line.orderId,
    });
  }
  // Packed units are in a carton: taking them back to the bin would leave the carton short.
  const unpacked = orderLine.pickedQty - orderLine.packedQty;
  if (args.qty > unpacked) {
    return reject(
      'INVALID_QUANTITY',
      `${orderLine.packedQty} of these units are already packed. Undo at most ${Math.max(0, unpacked)}, or take them out of the carton first.`,
      { packed: orderLine.packedQty, unpacked: Math.max(0, unpacked), requested: args.qty },
    );
  }

  const rows = await reader.stock({
    productId: line.productId,
    locationId: list.stagingLocationId,
    lot: line.lot ?? undefined,
    lpn: null,
  });
  const takes = takeFefo(rows, args.qty);
  if (!takes) {
    const available = totalQty(rows);
    const staging = await locationCode(reader, list.stagingLocationId);
    return reject('INSUFFICIENT_STOCK', `Only ${available} of these units are at ${staging}. Find the rest, or ask a supervisor.`, {
      available,
      requested: args.qty,
      locationId: list.stagingLocationId,
    });
  }

  const stepped = advanceLine(line, -args.qty, 0);
  // A cancelled order's line stays cancelled while its units go back.
  const undone = line.status === 'cancelled' ? { ...stepped, status: line.status } : stepped;
  const effects: Effect[] = [
    ...moveEffects(takes, line.locationId, () => null),
    { kind: 'put', table: 'pickLines', row: undone },
    { kind: 'put', table: 'orderLines', row: { ...orderLine, pickedQty: orderLine.pickedQty - args.qty } },
  ];
  const nextList = await listAfter(reader, list, undone);
  if (nextList) effects.push({ kind: 'put', table: 'pickLists', row: nextList });
  return { ok: true, effects };
}
