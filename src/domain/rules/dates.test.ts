// Expiry dates as typed (YYYY-MM-DD) and as GS1 encodes them (YYMMDD, day 00 = end of month).
import { describe, expect, it } from 'vitest';
import { gs1Year, parseExpiry } from './dates';

describe('parseExpiry', () => {
  it.each([
    ['2026-03-31', '2026-03-31'],
    ['2028-02-29', '2028-02-29'],
    [' 2026-03-31 ', '2026-03-31'],
    ['260331', '2026-03-31'],
    ['260200', '2026-02-28'],
    ['280200', '2028-02-29'],
    ['261200', '2026-12-31'],
  ])('reads %s as %s', (raw, iso) => {
    expect(parseExpiry(raw, '2026-01-15')).toBe(iso);
  });

  it.each(['2026-02-29', '2026-04-31', '2026-00-10', '2026-13-01', '2026-01-00', '260229', '261301', '260132', '26-03-31', '2026331', ''])(
    'refuses %j',
    (raw) => {
      expect(parseExpiry(raw, '2026-01-15')).toBeNull();
    },
  );
});

describe('gs1Year', () => {
  it('places two-digit years within 49 years ahead and 50 behind', () => {
    expect(gs1Year(26, 2026)).toBe(2026);
    expect(gs1Year(75, 2026)).toBe(2075);
    expect(gs1Year(77, 2026)).toBe(1977);
    expect(gs1Year(5, 2096)).toBe(2105);
    expect(gs1Year(47, 2096)).toBe(2047);
  });
});
