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
