// Moving units between two open cartons of an order: a heavy carton split, a fragile item moved
// to its own box. The order's packed counts do not change; only where the units are.
import type { ArgsOf } from '../mutations';
import { reject } from './access';
import { cartonLineWith, loadOrder, openCarton } from './pack';
import { productLabel } from './labels';
import type { Outcome, RuleContext } from './types';

export async function applyRepack(args: ArgsOf<'repack'>, ctx: RuleContext): Promise<Outcome> {
  const loaded = await loadOrder(args.orderId, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { order } = loaded;
  if (args.fromCarton === args.toCarton) {
    return reject('INVALID_QUANTITY', `The units are already in carton ${args.toCarton}. Choose another carton to move them to.`, { orderId: order.id });
  }
  const from = await openCarton(order, args.fromCarton, ctx);
  if (!from.ok) return from.outcome;
  const to = await openCarton(order, args.toCarton, ctx);
  if (!to.ok) return to.outcome;

  const lines = await ctx.reader.children('cartonLines', order.id);
  const unit = { productId: args.productId, lot: args.lot, serial: args.serial };
  const taken = cartonLineWith(lines, from.carton, unit, -args.qty);
  if (taken.qty < 0) {
    const held = taken.qty + args.qty;
    return reject('INVALID_QUANTITY', `Carton ${args.fromCarton} holds ${held} of ${await productLabel(ctx.reader, args.productId)}${args.lot ? ` lot ${args.lot}` : ''}${args.serial ? ` serial ${args.serial}` : ''}, not ${args.qty}.`, {
      orderId: order.id,
      held,
      requested: args.qty,
    });
  }
  return {
    ok: true,
    effects: [
      { kind: 'put', table: 'cartons', row: to.carton },
      { kind: 'put', table: 'cartonLines', row: taken },
      { kind: 'put', table: 'cartonLines', row: cartonLineWith(lines, to.carton, unit, args.qty) },
    ],
  };
}
