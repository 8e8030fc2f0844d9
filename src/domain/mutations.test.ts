// Mutation versions: an older version's args read as the newest, an unknown version is
// unsupported (a newer client), and a newer version's fields are checked like any other.
import { describe, expect, it } from 'vitest';
import { currentVersion, MAX_MUTATION_VERSION, parseMutation } from './mutations';

const RESTOCK = { returnId: 'ret-1', productId: 'p-1', qty: 1, disposition: 'restock', toLocationId: 'loc-a' };

describe('parseMutation', () => {
  it('reads a version 1 restock as the newest, with no override or damage reason', () => {
    expect(parseMutation('restock', 1, RESTOCK)).toEqual({
      ok: true,
      mutation: { type: 'restock', version: 1, args: { ...RESTOCK, lot: null, overrideReason: null, damageReason: null } },
    });
  });

  it('carries the damage reason of a version 3 restock', () => {
    expect(parseMutation('restock', 3, { ...RESTOCK, disposition: 'damaged', toLocationId: null, damageReason: ' Crushed ' })).toMatchObject({ ok: true, mutation: { version: 3, args: { damageReason: 'Crushed' } } });
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
    for (const version of [4, MAX_MUTATION_VERSION]) {
      expect(parseMutation('restock', version, RESTOCK)).toMatchObject({ ok: false, unsupported: true, message: expect.stringContaining('Update the app') });
    }
  });

  it('calls a version no server could know malformed, so it is never stored past the integer column', () => {
    for (const version of [0, -1, 1.5, MAX_MUTATION_VERSION + 1, 2 ** 31, Number.MAX_SAFE_INTEGER, '1', null]) {
      expect(parseMutation('restock', version, RESTOCK), String(version)).toMatchObject({ ok: false, unsupported: false, field: 'version' });
    }
  });

  it('calls args malformed when PostgreSQL could not store them, even in a field the schema drops', () => {
    const cases = [
      { ...RESTOCK, lot: 'L\u0000' },
      { ...RESTOCK, note: 'extra\u0000' },
      { ...RESTOCK, ['k\u0000']: 1 },
      { ...RESTOCK, lot: '\uDC00' },
      { ...RESTOCK, extra: JSON.parse('{"a":'.repeat(50) + '1' + '}'.repeat(50)) as unknown },
      { ...RESTOCK, ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) },
    ];
    for (const args of cases) {
      expect(parseMutation('restock', 2, args)).toMatchObject({ ok: false, unsupported: false, field: 'args', issues: [] });
    }
    expect(parseMutation('restock', 2, ['ret-1'])).toMatchObject({ ok: false, unsupported: false, field: 'args' });
    expect(parseMutation('restock', 2, { ...RESTOCK, qty: -1 })).toMatchObject({ ok: false, unsupported: false, field: 'args', issues: [expect.anything()] });
  });

  it('calls a type or client time that is not short storable text malformed', () => {
    expect(parseMutation('restock\u0000', 2, RESTOCK)).toMatchObject({ ok: false, unsupported: false, field: 'type' });
    expect(parseMutation('r'.repeat(41), 2, RESTOCK)).toMatchObject({ ok: false, unsupported: false, field: 'type' });
    expect(parseMutation(7, 2, RESTOCK)).toMatchObject({ ok: false, unsupported: false, field: 'type' });
    expect(parseMutation('restock', 2, RESTOCK, '2026-12-06\uD800')).toMatchObject({ ok: false, unsupported: false, field: 'clientTime' });
    expect(parseMutation('restock', 2, RESTOCK, '2026-12-06T10:00:00.000Z')).toMatchObject({ ok: true });
  });

  it('sends each type as its newest version', () => {
    expect(currentVersion('restock')).toBe(3);
    expect(currentVersion('pick')).toBe(1);
  });
});
