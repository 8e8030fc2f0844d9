// Closing receipt r-1 of the test warehouse (acme): only an open receipt of the user's owners,
// and nothing more is received on it afterwards.
import { describe, expect, it } from 'vitest';
import { warehouse } from '../../../test/factories/warehouse';
import { effectsOf, putOf, rejectionOf } from '../../../test/factories/outcome';
import { applyCloseReceipt } from './close-receipt';
import { applyReceive } from './receive';

describe('close-receipt', () => {
  it('sets the receipt closed and changes nothing else', async () => {
    const { ctx } = warehouse();
    const outcome = await applyCloseReceipt({ receiptId: 'r-1' }, ctx());
    expect(effectsOf(outcome)).toHaveLength(1);
    expect(putOf(outcome, 'receipts')).toMatchObject({ id: 'r-1', status: 'closed', number: 'R-1' });
  });

  it('refuses further receiving on the closed receipt with DOCUMENT_CLOSED', async () => {
    const { reader, ctx } = warehouse();
    reader.apply(effectsOf(await applyCloseReceipt({ receiptId: 'r-1' }, ctx())));
    const receive = { receiptId: 'r-1', productId: 'p-widget', qty: 1, damagedQty: 0, damageReason: null, lot: null, expiry: null, lpn: null };
    expect(rejectionOf(await applyReceive(receive, ctx()), 'DOCUMENT_CLOSED').message).toBe(
      'Receipt R-1 is closed. Scan another receipt or ask a supervisor to reopen it.',
    );
  });

  it('refuses a receipt that is already closed', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyCloseReceipt({ receiptId: 'r-closed' }, ctx()), 'DOCUMENT_CLOSED');
    expect(rejection.message).toBe('Receipt R-CLOSED is already closed.');
  });

  it('refuses an unknown receipt', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyCloseReceipt({ receiptId: 'r-nope' }, ctx()), 'NOT_FOUND');
  });
});
