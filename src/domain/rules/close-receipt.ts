// Closing a receipt: the count is final. The receipt must be open and the user's owner's; the
// rule only changes its status, so short lines stay short (expected minus received, per line) and
// every later `receive` on it is refused with DOCUMENT_CLOSED.
import type { ArgsOf } from '../mutations';
import { canSeeOwner, forbidden, notFound, reject } from './access';
import type { Outcome, RuleContext } from './types';

export async function applyCloseReceipt(args: ArgsOf<'close-receipt'>, ctx: RuleContext): Promise<Outcome> {
  const receipt = await ctx.reader.get('receipts', args.receiptId);
  if (!receipt) return notFound('Receipt', args.receiptId);
  if (!canSeeOwner(ctx.actor, receipt.ownerId)) return forbidden('this receipt');
  if (receipt.status !== 'open') {
    return reject('DOCUMENT_CLOSED', `Receipt ${receipt.number} is already closed.`, { receiptId: receipt.id });
  }
  return { ok: true, effects: [{ kind: 'put', table: 'receipts', row: { ...receipt, status: 'closed' } }] };
}
