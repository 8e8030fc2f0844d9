// Closing a carton: it gets its box and its weight and nothing goes in or out of it again. When
// the order's last carton holding units closes, the order is packed if every ordered unit is in
// a carton; if not, it leaves short only with a reason and a supervisor's override code, and then
// it is not "packed" but on hold for the supervisor (an exception), never shipped by accident.
// The device cannot check the code offline: the server does, when the mutation arrives
// (server/sync/push.ts), and a refused code is this mutation's rejection.
import type { ArgsOf } from '../mutations';
import { cartonId } from '../entities';
import { kilograms as kg } from '../weight';
import { reject } from './access';
import { isPackedWhole, loadOrder, unitsIn } from './pack';
import { productLabel } from './labels';
import type { Effect, Outcome, RuleContext } from './types';


export async function applyCloseCarton(args: ArgsOf<'close-carton'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadOrder(args.orderId, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { order } = loaded;

  const cartons = await reader.children('cartons', order.id);
  const cartonLines = await reader.children('cartonLines', order.id);
  const carton = cartons.find((candidate) => candidate.id === cartonId(order.id, args.carton));
  if (!carton || unitsIn(cartonLines, carton.id) === 0) {
    return reject('INVALID_QUANTITY', `Carton ${args.carton} of order ${order.number} holds nothing: scan items into it first.`, { orderId: order.id, carton: args.carton });
  }
  if (carton.status === 'closed') {
    return reject('CARTON_CLOSED', `Carton ${args.carton} of order ${order.number} is already closed.`, { orderId: order.id, carton: args.carton });
  }
  const box = await reader.get('cartonTypes', args.cartonTypeId);
  if (!box || box.ownerId !== order.ownerId) {
    return reject('NOT_FOUND', `Carton type ${args.cartonTypeId} is not one of this merchant's boxes. Choose one from the list.`, { cartonTypeId: args.cartonTypeId });
  }
  if (box.maxWeightGrams !== null && args.weightGrams > box.maxWeightGrams) {
    return reject('INVALID_QUANTITY', `${box.name} holds up to ${kg(box.maxWeightGrams)}; this carton weighs ${kg(args.weightGrams)}. Use a stronger box or split it.`, {
      orderId: order.id,
      carton: args.carton,
      maxWeightGrams: box.maxWeightGrams,
      weightGrams: args.weightGrams,
    });
  }

  const lines = await reader.children('orderLines', order.id);
  // The last open carton with units in it: closing it ends packing for the order.
  const last = !cartons.some((other) => other.id !== carton.id && other.status === 'open' && unitsIn(cartonLines, other.id) > 0);
  const short = last && !isPackedWhole(lines);
  if (short && args.short === null) {
    const missing: string[] = [];
    for (const line of lines) if (line.packedQty < line.qty) missing.push(`${line.qty - line.packedQty} × ${await productLabel(reader, line.productId)}`);
    return reject('OVERRIDE_REQUIRED', `Order ${order.number} is not complete: still missing ${missing.join(', ')}. Pack them, or close short with a supervisor's code and a reason.`, {
      orderId: order.id,
      carton: args.carton,
    });
  }

  const closed = { ...carton, status: 'closed' as const, cartonTypeId: box.id, weightGrams: args.weightGrams, closedAt: ctx.now, shortReason: short ? args.short!.reason : null };
  const effects: Effect[] = [{ kind: 'put', table: 'cartons', row: closed }];
  if (last) effects.push({ kind: 'put', table: 'orders', row: { ...order, status: short ? 'on_hold' : 'packed' } });
  return { ok: true, effects };
}

/** Whether a close-carton's effects left the order short: the server then checks the override code. */
export function closedShort(outcome: Outcome): boolean {
  return outcome.ok && outcome.effects.some((effect) => effect.kind === 'put' && effect.table === 'cartons' && (effect.row as { shortReason?: string | null }).shortReason != null);
}
