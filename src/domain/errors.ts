// Rejections: the machine codes a rule answers with, and the message that tells the user what
// to do next. Rejections are data (stored by the server, shown under "Needs attention"), never
// exceptions.
import { z } from 'zod';

export const REJECTION_CODES = [
  'INSUFFICIENT_STOCK',
  'OVERPICK',
  'WRONG_LOCATION',
  'WRONG_PRODUCT',
  'UNKNOWN_BARCODE',
  'LINE_CLOSED',
  'FORBIDDEN',
  'UNSUPPORTED_VERSION',
  'NOT_FOUND',
  'INVALID_QUANTITY',
  'LOT_REQUIRED',
  'EXPIRED',
  'INVALID_DATE',
  'OVER_RECEIPT',
  'NOT_ON_RECEIPT',
  'OVER_RETURN',
  'NOT_PACKED',
  'ALREADY_SHIPPED',
  'DOCUMENT_CLOSED',
  /** A serial-tracked unit was scanned without its serial number. */
  'SERIAL_REQUIRED',
  /** The serial number is already packed (in this order or, the server finds, another). */
  'SERIAL_ALREADY_PACKED',
  /** The carton is closed: nothing goes in or out of it any more. */
  'CARTON_CLOSED',
  /** Closing would ship the order short: a supervisor's override code and a reason are needed. */
  'OVERRIDE_REQUIRED',
  /** The supervisor's override code was not accepted (the server checks it). */
  'OVERRIDE_REFUSED',
  /** Another picker holds the pick list: take it over only on purpose. */
  'CLAIMED',
  /** The mutation's content cannot be read or stored (bad text, too deep, a version out of range). */
  'MALFORMED_MUTATION',
  /** The mutation's id was already used by another mutation: nothing of it was applied. */
  'DUPLICATE_MUTATION_ID',
  /** Applying the mutation hit a fault in the server's own code; it is logged there. */
  'INTERNAL_ERROR',
] as const;

export const RejectionCode = z.enum(REJECTION_CODES);
export type RejectionCode = z.infer<typeof RejectionCode>;

export const Rejection = z.object({
  code: RejectionCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
});
export type Rejection = z.infer<typeof Rejection>;

export function rejection(
  code: RejectionCode,
  message: string,
  details: Record<string, unknown> = {},
): Rejection {
  return { code, message, details };
}
