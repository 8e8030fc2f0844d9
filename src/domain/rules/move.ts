// Putaway and bin-to-bin moves: units of one product leave one location for another. A bin
// other than the suggested one needs a reason; a bin never takes more than its capacity.
import type { ArgsOf } from '../mutations';
import { notFound, reject } from './access';
import { locationCode } from './labels';
import { checkCapacity, describeRows, moveEffects, takeFefo, totalQty } from './stock';
import type { Effect, Outcome, RuleContext } from './types';
import type { LocationType } from '../entities';
import { remainingOnLine } from './pick';

/** Bins pick lists take from: their promised units are not free to move. */
const PICKED_FROM: ReadonlySet<LocationType> = new Set<LocationType>(['pick_face', 'storage']);

export async function applyMove(args: ArgsOf<'move'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const product = await reader.get('products', args.productId);
  if (!product) return notFound('Product', args.productId);

  const to = await reader.get('locations', args.toLocationId);
  if (!to) return notFound('Bin', args.toLocationId);
  if (args.toLocationId === args.fromLocationId) {
    return reject('WRONG_LOCATION', `The units are already in ${to.code}. Scan the bin you are putting them in.`, {
      locationId: to.id,
    });
  }
  if (args.suggestedLocationId !== null && args.suggestedLocationId !== args.toLocationId && args.overrideReason === null) {
    const suggested = await locationCode(reader, args.suggestedLocationId);
    return reject('WRONG_LOCATION', `Wrong bin: go to ${suggested}, or choose Other bin and give a reason.`, {
      expectedLocationId: args.suggestedLocationId,
      expectedLocationCode: suggested,
      scannedLocationId: to.id,
    });
  }

  // Without an LPN the move takes loose units of the product only, FEFO: a pallet is broken only
  // by scanning its LPN, so "put away the loose units" never takes them off a pallet beside them.
  const rows = await reader.stock({
    productId: product.id,
    locationId: args.fromLocationId,
    lot: args.lot ?? undefined,
    lpn: args.lpn,
  });
  const takes = takeFefo(rows, args.qty);
  if (!takes) {
    const from = await locationCode(reader, args.fromLocationId);
    const everything = await reader.stock({ productId: product.id, locationId: args.fromLocationId });
    const held = everything.length > 0 ? `${from} holds ${describeRows(everything)}` : `${from} holds none of ${product.sku}`;
    const wanted = [args.lot !== null ? `lot ${args.lot}` : null, args.lpn !== null ? `LPN ${args.lpn}` : null].filter(Boolean).join(', ');
    return reject(
      'INSUFFICIENT_STOCK',
      `Only ${totalQty(rows)} of ${product.sku}${wanted ? ` (${wanted})` : ''} here: ${held}. Move what is there, or scan the right bin.`,
      { available: totalQty(rows), requested: args.qty, locationId: args.fromLocationId },
    );
  }

  // Units promised to open pick lists stay for their pickers: only loose units beyond the promise move.
  const from = await reader.get('locations', args.fromLocationId);
  if (args.lpn === null && from && PICKED_FROM.has(from.type)) {
    const promised = (await reader.openPickLinesAt(from.id, product.id)).reduce((sum, line) => sum + remainingOnLine(line), 0);
    if (promised > 0) {
      const loose = totalQty(await reader.stock({ productId: product.id, locationId: from.id, lpn: null }));
      const free = Math.max(0, loose - promised);
      if (args.qty > free) {
        return reject('INSUFFICIENT_STOCK', `${promised} of ${product.sku} in ${from.code} are promised to pick lists. Move at most ${free}, or ask a supervisor to reallocate.`, {
          available: free,
          requested: args.qty,
          promised,
          locationId: from.id,
        });
      }
    }
  }

  const full = await checkCapacity(reader, to, args.qty);
  if (full) return full;

  const effects: Effect[] = moveEffects(takes, to.id, () => args.lpn);
  if (args.lpn !== null) {
    // The LPN follows its units once nothing of it is left behind.
    const lpn = await reader.get('lpns', args.lpn);
    const onLpn = (await reader.stockAt(args.fromLocationId)).filter((row) => row.lpn === args.lpn);
    const left = totalQty(onLpn) - args.qty;
    if (lpn && left <= 0 && lpn.locationId !== to.id) {
      effects.push({ kind: 'put', table: 'lpns', row: { ...lpn, locationId: to.id } });
    }
  }
  return { ok: true, effects };
}
