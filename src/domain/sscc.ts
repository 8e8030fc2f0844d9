// Serial Shipping Container Codes (GS1 AI 00): the 18 digits that name one carton on its label.
// Uniqueness is the caller's part (a serial drawn from a database sequence per company prefix).
import { parseGs1 } from './gs1';
import { gs1CheckDigit } from './gtin';

/** Digits of an SSCC before its check digit: extension, company prefix and serial reference. */
const SSCC_BODY_DIGITS = 17;

/**
 * The SSCC of a carton: extension digit (0–9, chosen by the company), GS1 company prefix (4 to 12
 * digits, as GS1 assigns them), the serial reference zero-padded to the remaining digits, and the
 * GS1 mod-10 check digit. Throws RangeError for an input no SSCC can be made of (a configuration
 * or sequence fault, never a scan), so a bad code is never printed.
 */
export function ssccFor(companyPrefix: string, extension: number, serial: number | bigint): string {
  if (!/^\d{4,12}$/.test(companyPrefix)) throw new RangeError(`A GS1 company prefix is 4 to 12 digits, not "${companyPrefix}"`);
  if (!Number.isInteger(extension) || extension < 0 || extension > 9) throw new RangeError(`An SSCC extension digit is 0 to 9, not ${extension}`);
  if (typeof serial === 'number' && !Number.isSafeInteger(serial)) throw new RangeError(`An SSCC serial is a whole number, not ${serial}`);
  const serialDigits = SSCC_BODY_DIGITS - 1 - companyPrefix.length;
  const reference = BigInt(serial);
  if (reference < 0n || reference >= 10n ** BigInt(serialDigits)) {
    throw new RangeError(`Serial ${reference} does not fit the ${serialDigits} digits company prefix ${companyPrefix} leaves`);
  }
  const body = `${extension}${companyPrefix}${reference.toString().padStart(serialDigits, '0')}`;
  const sscc = `${body}${gs1CheckDigit(body)}`;
  // Read back as a scanner would: the label carries exactly what receiving parses.
  const read = parseGs1(`(00)${sscc}`);
  if (!read.ok || read.sscc !== sscc) throw new RangeError(`SSCC ${sscc} does not read back: ${read.ok ? read.sscc : read.error}`);
  return sscc;
}

