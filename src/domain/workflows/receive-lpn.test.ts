// LPN label codes: Dockhand's own (prefix, 9 digits, check digit) and SSCCs.
import { describe, expect, it } from 'vitest';
import { formatLpn, readLpnCode } from './receive-lpn';

describe('LPN codes', () => {
  it('formats a number with zero padding and a GS1 check digit', () => {
    expect(formatLpn(1234)).toBe('LPN0000012348');
    expect(formatLpn(1)).toBe('LPN0000000017');
    expect(() => formatLpn(0)).toThrow(RangeError);
  });

  it('reads its own codes, typed in any case, and refuses a wrong check digit', () => {
    expect(readLpnCode('lpn0000012348 ')).toEqual({ ok: true, code: 'LPN0000012348' });
    expect(readLpnCode('LPN0000012349')).toEqual({ ok: false, error: 'LPN0000012349 is not a valid LPN (check digit): scan the label again or type it carefully' });
    expect(readLpnCode('LPN12')).toMatchObject({ ok: false });
  });

  it('reads an SSCC, bare or from a GS1 parse, and nothing else', () => {
    expect(readLpnCode('', '106141411234567897')).toEqual({ ok: true, code: '106141411234567897' });
    expect(readLpnCode('106141411234567897')).toEqual({ ok: true, code: '106141411234567897' });
    expect(readLpnCode('', '106141411234567890')).toMatchObject({ ok: false });
    expect(readLpnCode('WID-1')).toBeNull();
    expect(readLpnCode('00036000291452')).toBeNull();
  });
});
