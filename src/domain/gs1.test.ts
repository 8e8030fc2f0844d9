// GS1 parsing against real-world scans: DataMatrix and GS1-128 strings as scanners deliver them,
// printed bracketed text, Digital Link URLs, and the errors bad labels must produce.
import { describe, expect, it } from 'vitest';
import { bracketedElements, isGs1Candidate, isGs1Symbology, parseGs1 } from './gs1';

const parse = (text: string) => parseGs1(text, { currentYear: 2025 });
const errorOf = (text: string): string => {
  const result = parse(text);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return result.error;
};

describe('parseGs1: element strings as scanners deliver them', () => {
  it('reads a GS1 DataMatrix with GTIN, expiry and lot', () => {
    expect(parse(']d2010950600013435217261231\x1d10ABC123')).toEqual({
      ok: true,
      symbology: ']d2',
      elements: [
        { ai: '01', value: '09506000134352' },
        { ai: '17', value: '261231' },
        { ai: '10', value: 'ABC123' },
      ],
      gtin: '09506000134352',
      expiry: '2026-12-31',
      lot: 'ABC123',
    });
  });

  it('needs no separator after fixed-length fields, and a trailing lot needs none at all', () => {
    expect(parse(']d2010950600013435217261231' + '10ABC123')).toMatchObject({ ok: true, lot: 'ABC123', expiry: '2026-12-31' });
  });

  it('takes a leading GS as FNC1 in first position and tolerates one after a fixed field', () => {
    expect(parse('\x1d0109506000134352\x1d17261231\x1d10L1\x1d')).toMatchObject({ ok: true, gtin: '09506000134352', lot: 'L1' });
  });

  it('reads lot, serial and counts separated by GS', () => {
    const result = parse(']C10109506000134352' + '10LOT-7/A\x1d' + '21SN0042\x1d' + '3712');
    expect(result).toMatchObject({ ok: true, symbology: ']C1', lot: 'LOT-7/A', serial: 'SN0042', count: 12 });
  });

  it('reads an SSCC with its contained GTIN and count', () => {
    expect(parse('00106141411234567897' + '0209506000134352' + '3748\x1d' + '10B1')).toMatchObject({
      ok: true,
      sscc: '106141411234567897',
      containedGtin: '09506000134352',
      count: 48,
      lot: 'B1',
    });
  });

  it('turns 310n–315n into numbers with n decimals', () => {
    expect(parse('3103000123')).toMatchObject({ ok: true, netWeightKg: 0.123 });
    expect(parse('01095060001343523100000250')).toMatchObject({ netWeightKg: 250 });
    expect(parse('31220012503135000045' + '3145123456' + '3150000002')).toMatchObject({
      widthM: 12.5,
      depthM: 0.00045,
      areaM2: 1.23456,
      netVolumeL: 2,
    });
    expect(parse('3115012345')).toMatchObject({ lengthM: 0.12345 });
  });

  it('reads the dates, day 00 as the last day of the month', () => {
    expect(parse('0109506000134352' + '17260200')).toMatchObject({ expiry: '2026-02-28' });
    expect(parse('0109506000134352' + '17240200')).toMatchObject({ expiry: '2024-02-29' });
    expect(parse('11250115' + '13250116' + '15260600')).toMatchObject({
      productionDate: '2025-01-15',
      packagingDate: '2025-01-16',
      bestBefore: '2026-06-30',
    });
  });

  it('puts two-digit years in the century the GS1 sliding window says', () => {
    expect(parseGs1(']C117740101', { currentYear: 2025 })).toMatchObject({ expiry: '2074-01-01' });
    expect(parseGs1(']C117760101', { currentYear: 2025 })).toMatchObject({ expiry: '1976-01-01' });
    expect(parseGs1(']C117050101', { currentYear: 2098 })).toMatchObject({ expiry: '2105-01-01' });
  });

  it('skips predefined-length AIs it does not interpret', () => {
    expect(parse('0109506000134352' + '2001' + '3300001234')).toMatchObject({
      ok: true,
      elements: [
        { ai: '01', value: '09506000134352' },
        { ai: '20', value: '01' },
        { ai: '3300', value: '001234' },
      ],
    });
  });
});

describe('parseGs1: plain GTINs', () => {
  it.each([
    ['EAN-13', '9506000134352', '09506000134352'],
    ['UPC-A', '036000291452', '00036000291452'],
    ['EAN-8', '96385074', '00000096385074'],
    ['GTIN-14', '10614141000415', '10614141000415'],
  ])('reads a %s as its 14-digit GTIN', (_kind, code, gtin) => {
    expect(parse(code)).toMatchObject({ ok: true, gtin, elements: [{ ai: '01', value: gtin }] });
  });

  it('reads an EAN-13 behind its AIM identifier, and a UPC-E by its expansion', () => {
    expect(parse(']E09506000134352')).toMatchObject({ ok: true, symbology: ']E0', gtin: '09506000134352' });
    expect(parse('04252614')).toMatchObject({ ok: true, gtin: '00042100005264' });
  });

  it('refuses a wrong check digit', () => {
    expect(errorOf('9506000134353')).toBe('GTIN check digit is wrong (expected 2)');
    expect(errorOf(']E095060001343')).toMatch(/EAN\/UPC barcode must carry 8, 12 or 13 digits/);
  });
});

describe('parseGs1: bracketed element strings', () => {
  it('reads the printed form, spaces between elements allowed', () => {
    expect(parse('(01)09506000134352(17)261231(10)ABC123')).toMatchObject({ ok: true, gtin: '09506000134352', expiry: '2026-12-31', lot: 'ABC123' });
    expect(parse('(01) 09506000134352 (17) 261231 (10) ABC123')).toMatchObject({ ok: true, lot: 'ABC123' });
  });

  it('reads an SSCC and checks its check digit', () => {
    expect(parse('(00)106141411234567897')).toEqual({
      ok: true,
      symbology: null,
      elements: [{ ai: '00', value: '106141411234567897' }],
      sscc: '106141411234567897',
    });
    expect(errorOf('(00)106141411234567890')).toBe('SSCC check digit is wrong (expected 7)');
  });

  it('keeps an escaped or unambiguous "(" in a lot', () => {
    expect(parse('(01)09506000134352(10)A\\(12)B')).toMatchObject({ lot: 'A(12)B' });
    expect(parse('(01)09506000134352(10)A(B)')).toMatchObject({ lot: 'A(B)' });
  });
});

describe('parseGs1: Digital Link', () => {
  it('reads path keys and query attributes on any host', () => {
    expect(parse('https://id.gs1.org/01/09506000134352/10/ABC123?17=261231')).toEqual({
      ok: true,
      symbology: null,
      elements: [
        { ai: '01', value: '09506000134352' },
        { ai: '10', value: 'ABC123' },
        { ai: '17', value: '261231' },
      ],
      gtin: '09506000134352',
      lot: 'ABC123',
      expiry: '2026-12-31',
    });
    expect(parse('HTTPS://brand.example.com/products/01/9506000134352/22/V2/10/AB%2F1/21/S%2542?3103=000500&linkType=gs1:pip#top')).toMatchObject({
      ok: true,
      gtin: '09506000134352',
      lot: 'AB/1',
      serial: 'S%42',
      netWeightKg: 0.5,
    });
  });

  it('reads an SSCC link and the old short names', () => {
    expect(parse('https://example.com/00/106141411234567897')).toMatchObject({ ok: true, sscc: '106141411234567897' });
    expect(parse('https://example.com/gtin/09506000134352/lot/L9?exp=260200')).toMatchObject({ gtin: '09506000134352', lot: 'L9', expiry: '2026-02-28' });
  });

  it('refuses what the Digital Link syntax does not allow', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134353')).toBe('GTIN check digit is wrong (expected 2)');
    expect(errorOf('https://id.gs1.org/01/09506000134352/17/261231')).toBe('AI 17 cannot follow 01 in a Digital Link path');
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/A%ZZ')).toMatch(/broken %-escape/);
    expect(errorOf('https://example.com/about')).toMatch(/no GTIN \(01\)/);
    expect(errorOf('https://id.gs1.org/01/09506000134352?99=X')).toMatch(/Unknown AI \(99\)/);
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/A?10=B')).toBe('AI 10 appears twice with different values');
  });
});

describe('parseGs1: errors that say what is wrong', () => {
  it.each([
    ['a wrong GTIN check digit', '0109506000134353', 'GTIN check digit is wrong (expected 2)'],
    ['a month 13', '0109506000134352' + '17261331', 'Expiry 261331 is not a date: there is no month 13'],
    ['a 30 February', '0109506000134352' + '17260230', 'Expiry 260230 is not a date: 2026-02 has 28 days'],
    ['an unknown AI', '0109506000134352' + '91ABC', 'Unknown AI (91): this barcode carries data Dockhand cannot read'],
    ['an unknown four-digit AI', '0109506000134352' + '7003ABC', 'Unknown AI (7003): this barcode carries data Dockhand cannot read'],
    ['a lot too long', '0109506000134352' + '10ABCDEFGHIJKLMNOPQRSTU', 'Lot (10) is too long: 21 characters, at most 20 (is a group separator missing?)'],
    ['a count running into the next field', '0109506000134352' + '3712' + '10ABC', 'Count of trade items (37) must be digits, but has "A" (is a group separator missing?)'],
    ['a GTIN cut short', '01095060001', 'GTIN (01) is cut short: 9 of 14 digits'],
    ['an empty lot', '0109506000134352' + '10\x1d21X', 'Lot (10) is empty'],
    ['a lot with a character GS1 does not allow', '0109506000134352' + '10AB#1', 'Lot (10) contains "#", which GS1 does not allow'],
    ['a control character', '0109506000134352' + '10AB\x1e', 'Lot (10) contains control character U+001E, which GS1 does not allow'],
    ['seven decimals', '0109506000134352' + '3107000123', 'Net weight (3107) has 7 decimals: GS1 allows 0 to 5'],
    ['GTIN beside contained GTIN', '0109506000134352' + '0209506000134352', 'A barcode cannot carry both a GTIN (01) and a contained GTIN (02)'],
    ['an empty scan', '   ', 'The barcode is empty'],
    ['only an AIM identifier', ']d2', 'The barcode carries no data after its symbology identifier'],
  ])('names %s', (_case, text, error) => {
    expect(errorOf(text)).toBe(error);
  });

  it('cannot tell a missing GS between two text fields, but a too-long result gives it away', () => {
    // "10ABC21SN1" is a valid lot "ABC21SN1": GS1 syntax itself cannot see the missing separator.
    expect(parse('0109506000134352' + '10ABC21SN1')).toMatchObject({ ok: true, lot: 'ABC21SN1' });
    expect(errorOf('0109506000134352' + '10LOT-2026-000123' + '21SERIAL99')).toMatch(/Lot \(10\) is too long.*group separator missing/);
  });

  it('answers, never throws, for junk', () => {
    for (const junk of ['', '\x00\x1d\x1d', '(', '()', '(01', '((01)', 'https://', 'https://x/01/', ']', ']]]', '😀'.repeat(3), 'x'.repeat(100_000), ' '.repeat(50_000) + 'x']) {
      const result = parse(junk);
      expect(result.ok).toBe(false);
    }
    expect(parseGs1(undefined as unknown as string)).toEqual({ ok: false, error: 'The barcode is not text' });
  });
});

describe('isGs1Candidate', () => {
  it.each([
    ']d2010950600013435217261231',
    ']C10109506000134352',
    ']Q3(01)09506000134352',
    ']E09506000134352',
    '\x1d0109506000134352',
    '(01)09506000134352',
    '(00)106141411234567897',
    'https://id.gs1.org/01/09506000134352/10/ABC123',
    'https://example.com/gtin/09506000134352',
    '0109506000134352',
    '010950600013435317261231',
    '00106141411234567897',
    '0209506000134352' + '3712',
  ])('takes %j for GS1', (text) => {
    expect(isGs1Candidate(text)).toBe(true);
  });

  it.each(['NWC-ESP-250', 'A-01-1', 'A-01-03', 'WID-1', '9506000134352', '09506000134352', '010950600', '10ABC', 'https://example.com/help', ']C0NWC-ESP-250', ''])(
    'does not take %j for GS1',
    (text) => {
      expect(isGs1Candidate(text)).toBe(false);
    },
  );
});

describe('bracketedElements and isGs1Symbology', () => {
  it('writes an element string read with FNC1 separators as its label prints it', () => {
    const parsed = parseGs1(']d2010950110153000310ABC\x1d17261231');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(bracketedElements(parsed)).toBe('(01)09501101530003(10)ABC(17)261231');
  });

  it('knows the AIM identifiers whose data is GS1, and no others', () => {
    expect([']C1', ']d2', ']Q3', ']e0', ']J1'].every(isGs1Symbology)).toBe(true);
    expect([']C0', ']E0', ']d1', null].some(isGs1Symbology)).toBe(false);
  });
});
