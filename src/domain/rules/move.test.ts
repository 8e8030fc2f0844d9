// Putaway and bin-to-bin moves in the test warehouse: widget ×20 on A-01-01, serum lots L1/L2 on
// A-01-02, gizmo ×3 in B-01-01 (which holds at most 10).
import { describe, expect, it } from 'vitest';
import { ACTORS, stock, warehouse } from '../../../test/factories/warehouse';
import { effectsOf, putOf, rejectionOf, stockEffects } from '../../../test/factories/outcome';
import type { ArgsOf } from '../mutations';
import { applyMove } from './move';

const move = (overrides: Partial<ArgsOf<'move'>>): ArgsOf<'move'> => ({
  productId: 'p-widget',
  fromLocationId: 'loc-a0101',
  toLocationId: 'loc-a0102',
  lot: null,
  lpn: null,
  qty: 5,
  suggestedLocationId: null,
  overrideReason: null,
  ...overrides,
});

describe('move', () => {
  it('moves units between bins', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyMove(move({}), ctx()));
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(15);
    expect(reader.qty('loc-a0102', 'p-widget')).toBe(5);
  });

  it('keeps lot and expiry, taking the earliest expiry first when no lot is named', async () => {
    const { ctx } = warehouse();
    const outcome = await applyMove(move({ productId: 'p-serum', fromLocationId: 'loc-a0102', toLocationId: 'loc-a0101', qty: 7 }), ctx());
    expect(stockEffects(outcome).filter((effect) => effect.delta > 0)).toEqual([
      expect.objectContaining({ locationId: 'loc-a0101', lot: 'L1', expiry: '2026-03-31', delta: 5 }),
      expect.objectContaining({ locationId: 'loc-a0101', lot: 'L2', expiry: '2026-09-30', delta: 2 }),
    ]);
  });

  it('moves only the named lot', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyMove(move({ productId: 'p-serum', fromLocationId: 'loc-a0102', toLocationId: 'loc-a0101', lot: 'L2', qty: 2 }), ctx()));
    expect(reader.qty('loc-a0101', 'p-serum', { lot: 'L2' })).toBe(2);
    expect(reader.qty('loc-a0102', 'p-serum', { lot: 'L1' })).toBe(5);
  });

  it('carries a whole LPN to the bin and the LPN with it', async () => {
    const { reader, ctx } = warehouse();
    reader.put('stock', stock('loc-dock', 'p-widget', 8, { lpn: 'LPN-7' }));
    reader.put('lpns', { id: 'LPN-7', ownerId: 'acme', locationId: 'loc-dock', status: 'open' });
    const outcome = await applyMove(move({ fromLocationId: 'loc-dock', lpn: 'LPN-7', qty: 8 }), ctx());
    expect(putOf(outcome, 'lpns')).toMatchObject({ id: 'LPN-7', locationId: 'loc-a0102' });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-a0102', 'p-widget', { lpn: 'LPN-7' })).toBe(8);
  });

  it('leaves the LPN where part of it stays', async () => {
    const { reader, ctx } = warehouse();
    reader.put('stock', stock('loc-dock', 'p-widget', 8, { lpn: 'LPN-7' }));
    reader.put('lpns', { id: 'LPN-7', ownerId: 'acme', locationId: 'loc-dock', status: 'open' });
    const effects = effectsOf(await applyMove(move({ fromLocationId: 'loc-dock', lpn: 'LPN-7', qty: 3 }), ctx()));
    expect(effects.some((effect) => effect.kind === 'put')).toBe(false);
  });

  it('takes loose units only when no LPN is scanned, never from a pallet beside them', async () => {
    const { reader, ctx } = warehouse();
    reader.put('stock', stock('loc-dock', 'p-gizmo', 8, { lpn: 'LPN-7' }));
    reader.put('stock', stock('loc-dock', 'p-gizmo', 2));
    const outcome = await applyMove(move({ productId: 'p-gizmo', fromLocationId: 'loc-dock', qty: 2 }), ctx());
    expect(stockEffects(outcome)).toEqual([
      expect.objectContaining({ locationId: 'loc-dock', lpn: null, delta: -2 }),
      expect.objectContaining({ locationId: 'loc-a0102', lpn: null, delta: 2 }),
    ]);
    rejectionOf(await applyMove(move({ productId: 'p-gizmo', fromLocationId: 'loc-dock', qty: 3 }), ctx()), 'INSUFFICIENT_STOCK');
  });

  it('refuses more than the bin holds, naming what is there', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(
      await applyMove(move({ productId: 'p-serum', fromLocationId: 'loc-a0102', toLocationId: 'loc-a0101', lot: 'L1', qty: 6 }), ctx()),
      'INSUFFICIENT_STOCK',
    );
    expect(rejection.details).toMatchObject({ available: 5, requested: 6 });
    expect(rejection.message).toContain('A-01-02 holds 5 lot L1');
    expect(rejection.message).toContain('lot L2');
  });

  it('refuses a bin other than the suggested one without a reason, and accepts it with one', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyMove(move({ suggestedLocationId: 'loc-b0101' }), ctx()), 'WRONG_LOCATION');
    expect(rejection.message).toBe('Wrong bin: go to B-01-01, or choose Other bin and give a reason.');
    effectsOf(await applyMove(move({ suggestedLocationId: 'loc-b0101', overrideReason: 'bin blocked' }), ctx(ACTORS.operator)));
    effectsOf(await applyMove(move({ suggestedLocationId: 'loc-a0102' }), ctx()));
  });

  it('leaves units promised to open pick lists in their bin', async () => {
    const { reader, ctx } = warehouse();
    // A-01-01 holds 20 widgets; an open pick line still wants 3 of them.
    expect(rejectionOf(await applyMove(move({ qty: 18 }), ctx()))).toMatchObject({
      code: 'INSUFFICIENT_STOCK',
      message: '3 of WID-1 in A-01-01 are promised to pick lists. Move at most 17, or ask a supervisor to reallocate.',
      details: { available: 17, promised: 3 },
    });
    reader.applyOutcome(await applyMove(move({ qty: 17 }), ctx()));
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(3);
    // A cancelled list promises nothing.
    reader.put('pickLists', { ...(await reader.get('pickLists', 'pl-1'))!, status: 'cancelled' });
    reader.applyOutcome(await applyMove(move({ qty: 3 }), ctx()));
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(0);
  });

  it('refuses a move into the bin the units are already in', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyMove(move({ toLocationId: 'loc-a0101' }), ctx()), 'WRONG_LOCATION');
  });

  it('fills a bin to its capacity and no further', async () => {
    const { reader, ctx } = warehouse();
    // B-01-01 holds 3 gizmos of its 10.
    const rejection = rejectionOf(await applyMove(move({ toLocationId: 'loc-b0101', qty: 8 }), ctx()), 'INVALID_QUANTITY');
    expect(rejection.details).toMatchObject({ capacity: 10, held: 3, requested: 8, room: 7 });
    reader.applyOutcome(await applyMove(move({ toLocationId: 'loc-b0101', qty: 7 }), ctx()));
    expect(reader.qty('loc-b0101', 'p-widget')).toBe(7);
  });

  it('refuses an unknown product or bin', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyMove(move({ toLocationId: 'loc-nope' }), ctx()), 'NOT_FOUND');
    rejectionOf(await applyMove(move({ productId: 'p-nope' }), ctx()), 'NOT_FOUND');
  });
});
