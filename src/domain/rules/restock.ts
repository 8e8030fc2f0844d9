// Return dispositions: received return units leave the returns location for a bin (restock),
// the damaged location or quarantine. The return closes when nothing is left to decide.
import type { ArgsOf } from '../mutations';
import type { Disposition, Location, ReturnLine } from '../entities';
import { notFound, reject } from './access';
import { locationCode } from './labels';
import { isReturnComplete, loadReturnLine } from './return-receive';
import { checkCapacity, moveEffects, takeFefo, totalQty } from './stock';
import type { Effect, Outcome, RuleContext } from './types';

const COUNTER = { restock: 'restockedQty', damaged: 'damagedQty', quarantine: 'quarantinedQty' } as const satisfies Record<
  Disposition,
  keyof ReturnLine
>;

/** Location types a restock may not go to: they hold stock that cannot be sold. */
const NOT_SELLABLE: ReadonlySet<Location['type']> = new Set(['returns', 'quarantine', 'damaged', 'dock']);

export async function applyRestock(args: ArgsOf<'restock'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const loaded = await loadReturnLine(args, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { ret, line, lines } = loaded;

  const disposed = line.restockedQty + line.damagedQty + line.quarantinedQty;
  if (disposed + args.qty > line.receivedQty) {
    const room = Math.max(0, line.receivedQty - disposed);
    return reject(
      'OVER_RETURN',
      `Only ${room} received unit(s) of this item still need a disposition (${line.receivedQty} received, ${disposed} done). Receive the rest first.`,
      { received: line.receivedQty, disposed, requested: args.qty, allowed: room },
    );
  }

  let to: Location | undefined;
  if (args.disposition === 'restock') {
    if (args.toLocationId === null) {
      return reject('WRONG_LOCATION', 'Scan the bin you are restocking these units into.', { disposition: args.disposition });
    }
    to = await reader.get('locations', args.toLocationId);
    if (!to) return notFound('Bin', args.toLocationId);
    if (NOT_SELLABLE.has(to.type)) {
      return reject('WRONG_LOCATION', `${to.code} is a ${to.type} location: restock into a storage or pick-face bin.`, {
        locationId: to.id,
        locationType: to.type,
      });
    }
  } else {
    [to] = await reader.locationsOfType(args.disposition);
    if (!to) {
      return reject('NOT_FOUND', `This warehouse has no ${args.disposition} location. Ask an admin to add one.`, {
        locationType: args.disposition,
      });
    }
  }

  const rows = await reader.stock({ productId: line.productId, locationId: ret.returnsLocationId, lot: args.lot ?? undefined, lpn: null });
  const takes = takeFefo(rows, args.qty);
  if (!takes) {
    const available = totalQty(rows);
    return reject(
      'INSUFFICIENT_STOCK',
      `Only ${available} of these units are at ${await locationCode(reader, ret.returnsLocationId)}. Find the rest, or ask a supervisor.`,
      { available, requested: args.qty, locationId: ret.returnsLocationId },
    );
  }
  const full = await checkCapacity(reader, to, args.qty);
  if (full) return full;

  const counter = COUNTER[args.disposition];
  const done: ReturnLine = { ...line, [counter]: line[counter] + args.qty };
  const effects: Effect[] = [...moveEffects(takes, to.id, () => null), { kind: 'put', table: 'returnLines', row: done }];
  if (isReturnComplete(lines.map((candidate) => (candidate.id === done.id ? done : candidate)))) {
    effects.push({ kind: 'put', table: 'returns', row: { ...ret, status: 'closed' } });
  }
  return { ok: true, effects };
}
