// Receiving: counted units of one product land on the receipt's dock (good) or the damaged
// location (damaged), and the receipt line records both. Over-receipt, lots and expiry are
// checked here so the device refuses exactly what the server would.
import type { ArgsOf } from '../mutations';
import type { ReceiptLine } from '../entities';
import { notFound, reject } from './access';
import { parseExpiry } from './dates';
import type { Effect, Outcome, RuleContext } from './types';

/** The id of a line added on the floor: device and server derive the same one. */
export function unexpectedLineId(receiptId: string, productId: string): string {
  return `${receiptId}:${productId}`;
}

/** Good units a line may reach: expected plus the owner's tolerance, rounded down. */
export function allowedReceiptQty(expectedQty: number, tolerancePct: number): number {
  return Math.floor(expectedQty * (1 + tolerancePct / 100));
}

export async function applyReceive(args: ArgsOf<'receive'>, ctx: RuleContext): Promise<Outcome> {
  const { reader } = ctx;
  const receipt = await reader.get('receipts', args.receiptId);
  if (!receipt) return notFound('Receipt', args.receiptId);
  if (receipt.status !== 'open') {
    return reject('DOCUMENT_CLOSED', `Receipt ${receipt.number} is closed. Scan another receipt or ask a supervisor to reopen it.`, {
      receiptId: receipt.id,
    });
  }
  if (args.qty + args.damagedQty <= 0) {
    return reject('INVALID_QUANTITY', 'Enter how many units arrived (good or damaged).', { qty: args.qty, damagedQty: args.damagedQty });
  }

  const product = await reader.get('products', args.productId);
  if (!product) return notFound('Product', args.productId);
  const owner = await reader.get('owners', receipt.ownerId);
  if (!owner) return notFound('Owner', receipt.ownerId);

  const lines = await reader.children('receiptLines', receipt.id);
  const existing = lines.find((line) => line.productId === product.id);
  // Another owner's product never goes on this receipt, even as an unexpected item.
  if (product.ownerId !== receipt.ownerId || (!existing && !owner.allowUnexpectedItems)) {
    return reject(
      'NOT_ON_RECEIPT',
      `${product.sku} is not on receipt ${receipt.number}. Set it aside and tell a supervisor.`,
      { receiptId: receipt.id, productId: product.id },
    );
  }

  if (product.lotTracked && args.lot === null) {
    return reject('LOT_REQUIRED', `${product.sku} is lot-tracked: scan or type the lot number.`, { productId: product.id });
  }
  if (product.expiryTracked && args.expiry === null) {
    return reject('LOT_REQUIRED', `${product.sku} needs an expiry date: scan it or type it as YYYY-MM-DD.`, { productId: product.id });
  }
  let expiry: string | null = null;
  if (args.expiry !== null) {
    expiry = parseExpiry(args.expiry, ctx.today);
    if (expiry === null) {
      return reject('INVALID_DATE', `"${args.expiry}" is not a date. Type the expiry as YYYY-MM-DD.`, { expiry: args.expiry });
    }
    if (expiry < ctx.today) {
      return reject('EXPIRED', `These units expired on ${expiry}. Do not receive them: set them aside for a supervisor.`, {
        expiry,
        today: ctx.today,
      });
    }
  }

  const line: ReceiptLine = existing ?? {
    id: unexpectedLineId(receipt.id, product.id),
    receiptId: receipt.id,
    ownerId: receipt.ownerId,
    productId: product.id,
    expectedQty: 0,
    receivedQty: 0,
    damagedQty: 0,
    unexpected: true,
  };

  // An unexpected line has nothing to exceed: the owner allowed the item, not a quantity.
  if (!line.unexpected && args.qty > 0) {
    const allowed = allowedReceiptQty(line.expectedQty, owner.overReceiptTolerancePct);
    if (line.receivedQty + args.qty > allowed) {
      const room = Math.max(0, allowed - line.receivedQty);
      return reject(
        'OVER_RECEIPT',
        `Too many: ${line.expectedQty} expected, ${line.receivedQty} received, ${args.qty} more would pass the limit of ${allowed}. Receive at most ${room} and set the rest aside.`,
        { expected: line.expectedQty, received: line.receivedQty, requested: args.qty, allowed },
      );
    }
  }

  // Stock keys include the lot, so a lot typed for an untracked product would split its stock.
  const lot = product.lotTracked ? args.lot : null;
  const base = { kind: 'stock', ownerId: receipt.ownerId, productId: product.id, lot, expiry } as const;
  const effects: Effect[] = [];
  if (args.qty > 0) effects.push({ ...base, locationId: receipt.dockLocationId, lpn: args.lpn, delta: args.qty });
  if (args.damagedQty > 0) {
    const [damaged] = await reader.locationsOfType('damaged');
    if (!damaged) {
      return reject('NOT_FOUND', 'This warehouse has no damaged-goods location. Ask an admin to add one, then receive again.', {
        locationType: 'damaged',
      });
    }
    effects.push({ ...base, locationId: damaged.id, lpn: null, delta: args.damagedQty });
  }
  // A new LPN label becomes a row, so putaway can find it and move it as one unit.
  if (args.lpn !== null && args.qty > 0 && !(await reader.get('lpns', args.lpn))) {
    effects.push({ kind: 'put', table: 'lpns', row: { id: args.lpn, ownerId: receipt.ownerId, locationId: receipt.dockLocationId, status: 'open' } });
  }
  effects.push({
    kind: 'put',
    table: 'receiptLines',
    row: { ...line, receivedQty: line.receivedQty + args.qty, damagedQty: line.damagedQty + args.damagedQty },
  });
  return { ok: true, effects };
}
