import { describe, expect, it } from 'vitest';
import { passesCheckDigit } from './accept';

describe('passesCheckDigit', () => {
  it.each([
    ['ean-13', '5901234123457', true],
    ['ean-13', '5901234123458', false],
    ['ean-8', '96385074', true],
    ['ean-8', '96385075', false],
    ['upc-a', '036000291452', true],
    ['upc-a', '036000291453', false],
    ['upc-e', '01234565', true],
    ['upc-e', '01234566', false],
    ['upc-e', '0012345000065', true],
    ['itf', '15400141288763', true],
    ['itf', '15400141288764', false],
    // ITF outside the GS1 lengths carries no check character: taken as read, like Code 39.
    ['itf', '0829220875', true],
  ] as const)('%s %s → %s', (format, text, expected) => {
    expect(passesCheckDigit({ format, text })).toBe(expected);
  });

  it('takes Code 39, Code 128 and 2D codes as read', () => {
    expect(passesCheckDigit({ format: 'code-39', text: 'BIN-A0103' })).toBe(true);
    expect(passesCheckDigit({ format: 'code-128', text: '0109501101530004' })).toBe(true);
    expect(passesCheckDigit({ format: 'datamatrix', text: 'anything' })).toBe(true);
  });
});
