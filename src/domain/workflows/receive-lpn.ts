// License plate numbers (LPNs) the receive workflow puts stock on. Two kinds of label are read:
// - Dockhand LPNs: `LPN` + the number zero-padded to 9 digits + a GS1 mod-10 check digit over
//   those 9 digits, e.g. number 1234 → `LPN0000012348`. Numbers come from ranges the server
//   reserves per device (POST /api/lpn-ranges), so devices create them offline without
//   collisions; labels pre-printed from the same ranges read the same way. The check digit
//   catches a mistyped label.
// - SSCCs (GS1 AI 00) on suppliers' pallet labels: the 18 digits are the LPN.
import { gs1CheckDigit, isValidSscc } from '../gtin';

/** Digits of the number part of a Dockhand LPN (before the check digit). */
export const LPN_NUMBER_DIGITS = 9;
/** The prefix of Dockhand LPNs. */
export const LPN_PREFIX = 'LPN';
/** The largest number a Dockhand LPN can carry. */
export const MAX_LPN_NUMBER = 10 ** LPN_NUMBER_DIGITS - 1;

/** The label text for number `n` of a range with `prefix`. */
export function formatLpn(n: number, prefix: string = LPN_PREFIX): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_LPN_NUMBER) throw new RangeError(`LPN number ${n} is out of range`);
  const digits = String(n).padStart(LPN_NUMBER_DIGITS, '0');
  return `${prefix}${digits}${gs1CheckDigit(digits)}`;
}

export type LpnCodeCheck = { ok: true; code: string } | { ok: false; error: string } | null;

/**
 * Reads a scan as a Dockhand LPN or an SSCC: the LPN code, an error for an LPN-looking label with
 * a wrong check digit, or null when the scan is no LPN at all. `sscc` is the SSCC a GS1 parse
 * of the scan found, if any.
 */
export function readLpnCode(text: string, sscc?: string | null): LpnCodeCheck {
  if (sscc) return isValidSscc(sscc) ? { ok: true, code: sscc } : { ok: false, error: `SSCC ${sscc} has a wrong check digit: scan the label again` };
  const value = text.trim().toUpperCase();
  const match = /^LPN(\d{9})(\d)$/.exec(value);
  if (match) {
    const [, digits, check] = match;
    return gs1CheckDigit(digits!) === Number(check) ? { ok: true, code: value } : { ok: false, error: `${value} is not a valid LPN (check digit): scan the label again or type it carefully` };
  }
  if (/^LPN\d*$/.test(value)) return { ok: false, error: `${value} is not a complete LPN: an LPN is LPN and 10 digits` };
  if (/^\d{18}$/.test(value) && isValidSscc(value)) return { ok: true, code: value };
  return null;
}
