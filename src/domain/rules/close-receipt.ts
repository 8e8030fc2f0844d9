// Closing a receipt: the count is final. The receipt must be open (another owner's reads as
// absent, see owner-scope.ts); the rule only changes its status, so short lines stay short
// (expected minus received, per line) and every later `receive` on it is refused with DOCUMENT_CLOSED.
import type { ArgsOf } from '../mutations';
import { notFound, reject } from './access';
import type { Outcome, RuleContext } from './types';

export async function applyCloseReceipt(args: ArgsOf<'close-receipt'>, ctx: RuleContext): Promise<Outcome> {
  const receipt = await ctx.reader.get('receipts', args.receiptId);
  if (!receipt) return notFound('Receipt', args.receiptId);
  if (receipt.status !== 'open') {
    return reject('DOCUMENT_CLOSED', `Receipt ${receipt.number} is already closed.`, { receiptId: receipt.id });
  }
  return { ok: true, effects: [{ kind: 'put', table: 'receipts', row: { ...receipt, status: 'closed' } }] };
}
