// GTIN / UPC / EAN / SSCC check digits and the barcode keys products are indexed by.
// A product's barcodes are stored as keys: every GTIN as its 14-digit form, every other code
// (the owner's SKU labels) upper-cased, so one scan finds one product whatever its symbology.

/** GS1 mod-10 check digit of `body` (all digits but the check digit). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is all digits and its last digit is the GS1 check digit of the rest. */
export function hasValidCheckDigit(code: string): boolean {
  if (!/^\d{2,}$/.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/** Expands a UPC-E (8 digits, number system 0 or 1) to its UPC-A form, or null. */
export function upcEToUpcA(upcE: string): string | null {
  if (!/^[01]\d{7}$/.test(upcE)) return null;
  const [ns, d1, d2, d3, d4, d5, d6, check] = upcE;
  let body: string;
  switch (d6) {
    case '0':
    case '1':
    case '2':
      body = `${d1}${d2}${d6}0000${d3}${d4}${d5}`;
      break;
    case '3':
      body = `${d1}${d2}${d3}00000${d4}${d5}`;
      break;
    case '4':
      body = `${d1}${d2}${d3}${d4}00000${d5}`;
      break;
    default:
      body = `${d1}${d2}${d3}${d4}${d5}0000${d6}`;
  }
  return `${ns}${body}${check}`;
}

/**
 * The UPC-E a UPC-A (12 digits, or 13 with a leading 0) compresses to, as printed on the label
 * (8 digits), or null when it has no UPC-E form. Each of the four zero-suppression patterns is
 * tried and kept only if `upcEToUpcA` gives the same UPC-A back.
 */
export function upcAToUpcE(code: string): string | null {
  const upcA = code.length === 13 && code.startsWith('0') ? code.slice(1) : code;
  if (!/^[01]\d{11}$/.test(upcA)) return null;
  const ns = upcA[0]!;
  const check = upcA[11]!;
  const m = upcA.slice(1, 6);
  const p = upcA.slice(6, 11);
  const candidates = [`${m.slice(0, 2)}${p.slice(2)}${m[2]}`, `${m.slice(0, 3)}${p.slice(3)}3`, `${m.slice(0, 4)}${p[4]}4`, `${m}${p[4]}`];
  for (const body of candidates) {
    const upcE = `${ns}${body}${check}`;
    if (upcEToUpcA(upcE) === upcA) return upcE;
  }
  return null;
}

/** A GTIN-8, -12, -13 or -14 with a valid check digit as its 14-digit form; otherwise null. */
export function toGtin14(code: string): string | null {
  if (!/^\d+$/.test(code)) return null;
  if (![8, 12, 13, 14].includes(code.length)) return null;
  if (!hasValidCheckDigit(code)) return null;
  return code.padStart(14, '0');
}

export function isValidGtin(code: string): boolean {
  return toGtin14(code) !== null;
}

/** True for an 18-digit SSCC with a valid check digit. */
export function isValidSscc(code: string): boolean {
  return code.length === 18 && hasValidCheckDigit(code);
}

/**
 * The keys a scanned value may match in a product's `barcodes`: the GTIN-14 form of any valid
 * GTIN (and of a UPC-E's expansion), and the value itself upper-cased for SKU labels.
 */
export function barcodeKeys(scanned: string): string[] {
  const value = scanned.trim();
  const keys = new Set<string>();
  const gtin = toGtin14(value);
  if (gtin) keys.add(gtin);
  if (value.length === 8) {
    const upcA = upcEToUpcA(value);
    const expanded = upcA ? toGtin14(upcA) : null;
    if (expanded) keys.add(expanded);
  }
  if (value) keys.add(value.toUpperCase());
  return [...keys];
}

/** The key a product's own barcode is stored under (GTINs normalised, SKU codes upper-cased). */
export function productBarcodeKey(code: string): string {
  return toGtin14(code) ?? code.trim().toUpperCase();
}
