// What each mutation type's rule loads first, for the owner-scope tests: another owner's id in
// that field must be answered NOT_FOUND, exactly as a made-up id is.
import type { MutationType } from '../../src/domain/mutations';

/** The field whose row a type's rule loads first. */
export const DOCUMENT_FIELD: Record<MutationType, string> = {
  receive: 'receiptId',
  move: 'productId',
  pick: 'pickLineId',
  unpick: 'pickLineId',
  'short-pick': 'pickLineId',
  pack: 'orderId',
  ship: 'orderId',
  'close-carton': 'orderId',
  repack: 'orderId',
  'return-receive': 'returnId',
  restock: 'returnId',
  'close-receipt': 'receiptId',
  'claim-pick-list': 'pickListId',
};
