// GTIN/UPC/EAN/SSCC check digits, UPC-E expansion and the keys a scan is looked up by, checked
// against the published GS1 and Wikipedia examples.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barcodeKeys, gs1CheckDigit, hasValidCheckDigit, isValidGtin, isValidSscc, productBarcodeKey, toGtin14, upcAToUpcE, upcEToUpcA } from './gtin';

describe('check digits', () => {
  it.each([
    ['UPC-A', '036000291452'],
    ['EAN-13', '4006381333931'],
    ['EAN-8', '96385074'],
    ['GTIN-14', '10614141000415'],
    ['SSCC', '106141411234567897'],
  ])('accepts the %s %s', (_kind, code) => {
    expect(hasValidCheckDigit(code)).toBe(true);
  });

  it('computes the check digit of a body', () => {
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(gs1CheckDigit('400638133393')).toBe(1);
  });

  it('refuses a changed digit, letters and too-short codes', () => {
    expect(hasValidCheckDigit('036000291453')).toBe(false);
    expect(hasValidCheckDigit('036000291462')).toBe(false);
    expect(hasValidCheckDigit('03600029145A')).toBe(false);
    expect(hasValidCheckDigit('5')).toBe(false);
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), fc.nat(12), fc.integer({ min: 1, max: 9 }), (body, at, change) => {
        const code = `${body}${gs1CheckDigit(body)}`;
        const digit = (Number(code[at]) + change) % 10;
        const broken = `${code.slice(0, at)}${digit}${code.slice(at + 1)}`;
        expect(hasValidCheckDigit(code)).toBe(true);
        expect(hasValidCheckDigit(broken)).toBe(false);
      }),
    );
  });

  it('accepts only GTIN lengths as GTINs and 18 digits as an SSCC', () => {
    expect(isValidGtin('036000291452')).toBe(true);
    expect(isValidGtin('106141411234567897')).toBe(false);
    expect(isValidSscc('106141411234567897')).toBe(true);
    expect(isValidSscc('036000291452')).toBe(false);
  });
});

describe('UPC-E', () => {
  it.each([
    ['01234505', '012000003455'],
    ['01234514', '012100003454'],
    ['01234531', '012300000451'],
    ['01234543', '012340000053'],
    ['01234565', '012345000065'],
    ['04252614', '042100005264'],
  ])('expands %s to %s', (upcE, upcA) => {
    expect(upcEToUpcA(upcE)).toBe(upcA);
    expect(hasValidCheckDigit(upcA)).toBe(true);
  });

  it('refuses number systems other than 0 and 1, and other lengths', () => {
    expect(upcEToUpcA('21234565')).toBeNull();
    expect(upcEToUpcA('0123456')).toBeNull();
  });

  it.each([
    ['012000003455', '01234505'],
    ['0012100003454', '01234514'],
    ['012300000451', '01234531'],
    ['012340000053', '01234543'],
    ['012345000065', '01234565'],
    ['0042100005264', '04252614'],
  ])('compresses the UPC-A %s back to the UPC-E %s printed on the label', (upcA, upcE) => {
    expect(upcAToUpcE(upcA)).toBe(upcE);
  });

  it('answers null for a UPC-A with no UPC-E form, or what is no UPC-A', () => {
    expect(upcAToUpcE('036000291452')).toBeNull();
    expect(upcAToUpcE('5901234123457')).toBeNull();
    expect(upcAToUpcE('0123')).toBeNull();
  });

  it('compresses every UPC-E expansion back to the same UPC-E', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[01]\d{7}$/), (upcE) => {
        const upcA = upcEToUpcA(upcE)!;
        const back = upcAToUpcE(upcA);
        // Some 8-digit strings expand to a UPC-A another, canonical UPC-E also gives.
        expect(back).not.toBeNull();
        expect(upcEToUpcA(back!)).toBe(upcA);
      }),
    );
  });
});

describe('barcode keys', () => {
  it('normalises UPC-A, EAN-13 with a leading zero and GTIN-14 to one GTIN-14', () => {
    for (const scan of ['036000291452', '0036000291452', '00036000291452']) {
      expect(barcodeKeys(scan)).toContain('00036000291452');
    }
    expect(toGtin14('036000291452')).toBe('00036000291452');
    expect(productBarcodeKey('036000291452')).toBe('00036000291452');
  });

  it('finds a UPC-E product by its UPC-A key', () => {
    expect(barcodeKeys('04252614')).toContain(productBarcodeKey('042100005264'));
  });

  it('matches SKU labels whatever their case and surrounding spaces', () => {
    expect(barcodeKeys('  wid-1 ')).toEqual(['WID-1']);
    expect(productBarcodeKey('wid-1')).toBe('WID-1');
  });

  it('does not turn a number with a bad check digit into a GTIN', () => {
    expect(barcodeKeys('036000291453')).toEqual(['036000291453']);
  });

  it('gives no keys for an empty scan', () => {
    expect(barcodeKeys('   ')).toEqual([]);
  });
});
