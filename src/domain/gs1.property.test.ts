// Properties of the GS1 parser: it answers for any input without throwing, every valid element
// list survives the bracketed, GS-separated and Digital Link encodings, and a corrupted GTIN
// check digit is always caught.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseGs1, type Gs1Element } from './gs1';
import { gs1CheckDigit } from './gtin';

const YEAR = 2025;
const parse = (text: string) => parseGs1(text, { currentYear: YEAR });

const CSET82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const text82 = (max: number) => fc.string({ unit: fc.constantFrom(...CSET82), minLength: 1, maxLength: max });
const withCheckDigit = (length: number) => digits(length - 1, length - 1).map((body) => `${body}${gs1CheckDigit(body)}`);

/** A real `YYMMDD`, or day 00 (last of the month). */
const date = fc
  .record({ yy: fc.integer({ min: 0, max: 99 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 0, max: 28 }) })
  .map(({ yy, month, day }) => [yy, month, day].map((n) => String(n).padStart(2, '0')).join(''));

const gtinElement = withCheckDigit(14).map((value): Gs1Element => ({ ai: '01', value }));

/** Optional elements after the GTIN, each AI at most once, in any order. */
const others = fc.uniqueArray(
  fc.oneof(
    text82(20).map((value) => ({ ai: '10', value })),
    text82(20).map((value) => ({ ai: '21', value })),
    date.map((value) => ({ ai: '17', value })),
    date.map((value) => ({ ai: '15', value })),
    date.map((value) => ({ ai: '11', value })),
    digits(1, 8).map((value) => ({ ai: '30', value })),
    fc.integer({ min: 0, max: 5 }).chain((n) => digits(6, 6).map((value) => ({ ai: `310${n}`, value }))),
  ),
  { selector: (element) => element.ai.slice(0, 3), maxLength: 6 },
);

const elementList = fc.tuple(gtinElement, others).map(([gtin, rest]) => [gtin, ...rest]);

const VARIABLE = new Set(['10', '21', '30']);

function bracketed(elements: Gs1Element[]): string {
  return elements.map(({ ai, value }) => `(${ai})${value.replaceAll('(', '\\(')}`).join('');
}

function gsSeparated(elements: Gs1Element[], prefix: string): string {
  return (
    prefix +
    elements.map(({ ai, value }, i) => `${ai}${value}${VARIABLE.has(ai) && i < elements.length - 1 ? '\x1d' : ''}`).join('')
  );
}

/** GTIN, lot and serial in the path (that order), everything else in the query. */
function digitalLink(elements: Gs1Element[]): string {
  const path = ['01', '10', '21'].flatMap((ai) => elements.filter((e) => e.ai === ai).map((e) => `/${ai}/${encodeURIComponent(e.value)}`));
  const query = elements.filter((e) => !['01', '10', '21'].includes(e.ai)).map((e) => `${e.ai}=${encodeURIComponent(e.value)}`);
  return `https://resolver.example.com${path.join('')}${query.length ? `?${query.join('&')}` : ''}`;
}

const byAi = (elements: Gs1Element[]) => [...elements].sort((a, b) => a.ai.localeCompare(b.ai));

describe('parseGs1 properties', () => {
  it('never throws, and answers ok or a non-empty error, for any string', () => {
    const anyText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: fc.constantFrom(...'0123456789()\x1d]Cd2Q3e0/?=&%https:'), maxLength: 80 }),
      fc.tuple(fc.constantFrom(']d2', ']C1', ']E0', '\x1d', '(01)', 'https://id.gs1.org/01/', ''), fc.string({ maxLength: 60 })).map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parse(text);
        if (result.ok) expect(result.elements.length).toBeGreaterThan(0);
        else {
          expect(result.error.length).toBeGreaterThan(0);
          expect(result.error).not.toMatch(/^Could not read this GS1 barcode \(/); // the safety net stayed unused
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips the bracketed form', () => {
    fc.assert(
      fc.property(elementList, (elements) => {
        expect(parse(bracketed(elements))).toMatchObject({ ok: true, elements });
      }),
    );
  });

  it('round-trips GS-separated strings with and without an AIM identifier or leading FNC1', () => {
    fc.assert(
      fc.property(elementList, fc.constantFrom('', ']C1', ']d2', ']Q3', '\x1d', ']d2\x1d'), (elements, prefix) => {
        const result = parse(gsSeparated(elements, prefix));
        expect(result).toMatchObject({ ok: true, elements, symbology: prefix.startsWith(']') ? prefix.slice(0, 3) : null });
      }),
    );
  });

  it('round-trips Digital Link URLs', () => {
    fc.assert(
      fc.property(elementList, (elements) => {
        const result = parse(digitalLink(elements));
        expect(result.ok).toBe(true);
        if (result.ok) expect(byAi(result.elements)).toEqual(byAi(elements));
      }),
    );
  });

  it('fills the summary fields from the elements', () => {
    fc.assert(
      fc.property(elementList, (elements) => {
        const result = parse(gsSeparated(elements, ']d2'));
        if (!result.ok) throw new Error(result.error);
        const value = (ai: string) => elements.find((e) => e.ai === ai)?.value;
        expect(result.gtin).toBe(value('01'));
        expect(result.lot).toBe(value('10'));
        expect(result.serial).toBe(value('21'));
        expect(result.count).toBe(value('30') === undefined ? undefined : Number(value('30')));
        const expiry = value('17');
        expect(result.expiry === undefined).toBe(expiry === undefined);
        if (expiry && result.expiry) {
          expect(result.expiry.slice(2, 7)).toBe(`${expiry.slice(0, 2)}-${expiry.slice(2, 4)}`);
          if (expiry.slice(4) !== '00') expect(result.expiry.slice(8)).toBe(expiry.slice(4));
        }
      }),
    );
  });

  it('catches a corrupted GTIN check digit in every form', () => {
    const corrupted = fc
      .tuple(withCheckDigit(14), fc.integer({ min: 1, max: 9 }), others)
      .map(([gtin, shift, rest]) => {
        const wrong = `${gtin.slice(0, 13)}${(Number(gtin[13]) + shift) % 10}`;
        return [{ ai: '01', value: wrong }, ...rest];
      });
    fc.assert(
      fc.property(corrupted, (elements) => {
        for (const text of [bracketed(elements), gsSeparated(elements, ''), gsSeparated(elements, ']d2'), digitalLink(elements), elements[0]!.value]) {
          const result = parse(text);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error).toMatch(/GTIN check digit is wrong \(expected \d\)/);
        }
      }),
    );
  });
});
