// Returns receiving: units a customer sent back, checked against the RMA's authorised
// quantities, land at the return's returns location to await a disposition.
import type { ArgsOf } from '../mutations';
import type { Return, ReturnLine } from '../entities';
import { notFound, reject } from './access';
import { productLabel } from './labels';
import type { Effect, Outcome, RuleContext } from './types';

/** The return (visible to the actor) and its line for a product, checked to exist and be open. */
export async function loadReturnLine(
  args: { returnId: string; productId: string },
  ctx: RuleContext,
): Promise<{ ok: true; ret: Return; line: ReturnLine; lines: ReturnLine[] } | { ok: false; outcome: Outcome }> {
  const { reader } = ctx;
  const ret = await reader.get('returns', args.returnId);
  if (!ret) return { ok: false, outcome: notFound('Return', args.returnId) };
  if (ret.status !== 'open') {
    return { ok: false, outcome: reject('DOCUMENT_CLOSED', `Return ${ret.rma} is closed. Scan another return or ask a supervisor.`, { returnId: ret.id }) };
  }
  const lines = await reader.children('returnLines', ret.id);
  const line = lines.find((candidate) => candidate.productId === args.productId);
  if (!line) {
    return {
      ok: false,
      outcome: reject(
        'NOT_ON_RECEIPT',
        `This item (${await productLabel(reader, args.productId)}) is not on return RMA ${ret.rma}. Set it aside and tell a supervisor.`,
        { returnId: ret.id, productId: args.productId },
      ),
    };
  }
  return { ok: true, ret, line, lines };
}

/** Closed once every authorised unit arrived and every arrived unit has a disposition. */
export function isReturnComplete(lines: readonly ReturnLine[]): boolean {
  return lines.every(
    (line) => line.receivedQty >= line.authorisedQty && line.restockedQty + line.damagedQty + line.quarantinedQty >= line.receivedQty,
  );
}

export async function applyReturnReceive(args: ArgsOf<'return-receive'>, ctx: RuleContext): Promise<Outcome> {
  const loaded = await loadReturnLine(args, ctx);
  if (!loaded.ok) return loaded.outcome;
  const { ret, line } = loaded;

  const product = await ctx.reader.get('products', line.productId);
  if (!product) return notFound('Product', line.productId);
  if (product.lotTracked && args.lot === null) {
    return reject('LOT_REQUIRED', `${product.sku} is lot-tracked: scan or type the lot number on the returned item.`, { productId: product.id });
  }
  if (line.receivedQty + args.qty > line.authorisedQty) {
    const room = Math.max(0, line.authorisedQty - line.receivedQty);
    return reject(
      'OVER_RETURN',
      `RMA ${ret.rma} authorises ${line.authorisedQty} of ${product.sku}, ${line.receivedQty} already received: accept at most ${room} and set the rest aside.`,
      { authorised: line.authorisedQty, received: line.receivedQty, requested: args.qty, allowed: room },
    );
  }

  const effects: Effect[] = [
    {
      kind: 'stock',
      ownerId: ret.ownerId,
      locationId: ret.returnsLocationId,
      productId: product.id,
      // The same stock key rule as receiving: untracked products carry no lot.
      lot: product.lotTracked ? args.lot : null,
      expiry: null,
      lpn: null,
      delta: args.qty,
    },
    { kind: 'put', table: 'returnLines', row: { ...line, receivedQty: line.receivedQty + args.qty } },
  ];
  return { ok: true, effects };
}
