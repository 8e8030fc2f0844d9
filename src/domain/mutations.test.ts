// Mutation versions: an older version's args read as the newest, an unknown version is
// unsupported (a newer client), and a newer version's fields are checked like any other.
import { describe, expect, it } from 'vitest';
import { currentVersion, parseMutation } from './mutations';

const RESTOCK = { returnId: 'ret-1', productId: 'p-1', qty: 1, disposition: 'restock', toLocationId: 'loc-a' };

describe('parseMutation', () => {
  it('reads a version 1 restock as version 2, with no override reason', () => {
    expect(parseMutation('restock', 1, RESTOCK)).toEqual({
      ok: true,
      mutation: { type: 'restock', version: 1, args: { ...RESTOCK, lot: null, overrideReason: null } },
    });
  });

  it('carries the reason of a version 2 restock, trimmed', () => {
    const parsed = parseMutation('restock', 2, { ...RESTOCK, overrideReason: '  Suggested bin is full ' });
    expect(parsed).toMatchObject({ ok: true, mutation: { version: 2, args: { overrideReason: 'Suggested bin is full' } } });
  });

  it('refuses an empty or overlong reason', () => {
    expect(parseMutation('restock', 2, { ...RESTOCK, overrideReason: '   ' })).toMatchObject({ ok: false, unsupported: false });
    expect(parseMutation('restock', 2, { ...RESTOCK, overrideReason: 'x'.repeat(201) })).toMatchObject({ ok: false, unsupported: false });
  });

  it('calls a version it does not know unsupported, and says what to update', () => {
    for (const version of [0, 3, 1.5]) {
      expect(parseMutation('restock', version, RESTOCK)).toMatchObject({ ok: false, unsupported: true, message: expect.stringContaining('Update the app') });
    }
  });

  it('sends each type as its newest version', () => {
    expect(currentVersion('restock')).toBe(2);
    expect(currentVersion('pick')).toBe(1);
  });
});
