// Packing: picked units of an order go into a carton, one scan at a time. Nothing extra (a unit
// not picked for the order) goes in; the order is packed once every picked unit is.
import type { ArgsOf } from '../mutations';
import type { Order, OrderLine, PickLine } from '../entities';
import { notFound, reject } from './access';
import { productLabel } from './labels';
import type { Effect, Outcome, RuleContext } from './types';

/**
 * What still keeps an order from being packed: open pick lines, and lines with picked units not
 * yet packed. An order with nothing picked is never packed (there is nothing to ship).
 */
export function packingGaps(lines: readonly OrderLine[], pickLines: readonly PickLine[]): { openPicks: PickLine[]; unpacked: OrderLine[]; nothingPicked: boolean } {
  return {
    openPicks: pickLines.filter((line) => line.status !== 'done'),
    unpacked: lines.filter((line) => line.packedQty < line.pickedQty),
    nothingPicked: lines.every((line) => line.pickedQty === 0),
  };
}

export function isFullyPacked(lines: readonly OrderLine[], pickLines: readonly PickLine[]): boolean {
  const gaps = packingGaps(lines, pickLines);
  return gaps.openPicks.length === 0 && gaps.unpacked.length === 0 && !gaps.nothingPicked;
}

/** The order, checked to exist (visible to the actor) and still be open for packing or shipping. */
export async function loadOrder(
  orderId: string,
  ctx: RuleContext,
): Promise<{ ok: true; order: Order } | { ok: false; outcome: Outcome }> {
  const order = await ctx.reader.get('orders', orderId);
  if (!order) return { ok: false, outcome: notFound('Order', orderId) };
  if (order.status === 'shipped') {
    return { ok: false, outcome: reject('ALREADY_SHIPPED', `Order ${order.number} has already shipped. Scan the next order.`, { orderId: order.id }) };
  }
  if (order.status === 'cancelled') {
    return { ok: false, outcome: reject('DOCUMENT_CLOSED', `Order ${order.number} was cancelled. Put its units aside for a supervisor.`, { orderId: order.id }) };
  }
  return { ok: true, order };
}

export async function applyPack(args: ArgsOf<'pack'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadOrder(args.orderId, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { order } = loaded;

  const lines = await reader.children('orderLines', order.id);
  const forProduct = lines.filter((line) => line.productId === args.productId);
  if (forProduct.length === 0) {
    return reject('WRONG_PRODUCT', `${await productLabel(reader, args.productId)} is not on order ${order.number}. Take it out of the carton.`, {
      orderId: order.id,
      productId: args.productId,
    });
  }
  // A unit whose label carries a lot must be of a lot picked for this order: another order's lot
  // at the same bench is a swapped unit, found now rather than by the customer.
  if (args.lot !== null) {
    const lots = [...new Set((await reader.pickLinesOfOrder(order.id)).filter((pick) => pick.productId === args.productId && pick.pickedQty > 0).map((pick) => pick.lot))];
    const named = lots.filter((lot): lot is string => lot !== null);
    if (named.length > 0 && !named.includes(args.lot)) {
      return reject('WRONG_PRODUCT', `Wrong lot: order ${order.number} was picked from lot ${named.join(' or ')}, this unit is lot ${args.lot}. Take it out.`, {
        orderId: order.id,
        productId: args.productId,
        expectedLots: named,
        scannedLot: args.lot,
      });
    }
  }
  // An order may list a product twice; the scan fills the first line with room.
  const left = forProduct.reduce((sum, line) => sum + line.pickedQty - line.packedQty, 0);
  const line = forProduct.find((candidate) => candidate.pickedQty - candidate.packedQty >= args.qty);
  if (!line) {
    return reject(
      'INVALID_QUANTITY',
      `Only ${left} picked units of ${await productLabel(reader, args.productId)} are left to pack. Take ${args.qty - left} out of the carton.`,
      { left, requested: args.qty, orderId: order.id, productId: args.productId },
    );
  }

  const packed: OrderLine = { ...line, packedQty: line.packedQty + args.qty };
  const effects: Effect[] = [{ kind: 'put', table: 'orderLines', row: packed }];
  const after = lines.map((candidate) => (candidate.id === packed.id ? packed : candidate));
  if (isFullyPacked(after, await reader.pickLinesOfOrder(order.id)) && order.status !== 'packed') {
    effects.push({ kind: 'put', table: 'orders', row: { ...order, status: 'packed' } });
  }
  return { ok: true, effects };
}
