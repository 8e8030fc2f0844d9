// Receiving against the test warehouse's receipt r-1 (acme, 10% tolerance: widget expected 10,
// serum expected 4; serum is lot- and expiry-tracked). Today is 2026-01-15.
import { describe, expect, it } from 'vitest';
import { ACTORS, warehouse } from '../../../test/factories/warehouse';
import { putOf, putsOf, rejectionOf, stockEffects } from '../../../test/factories/outcome';
import type { ArgsOf } from '../mutations';
import { applyReceive } from './receive';

const receive = (overrides: Partial<ArgsOf<'receive'>>): ArgsOf<'receive'> => ({
  receiptId: 'r-1',
  productId: 'p-widget',
  qty: 1,
  damagedQty: 0,
  damageReason: null,
  lot: null,
  expiry: null,
  lpn: null,
  ...overrides,
});

describe('receive', () => {
  it('lands good units at the dock and counts them on the line', async () => {
    const { reader, ctx } = warehouse();
    const outcome = await applyReceive(receive({ qty: 6 }), ctx());
    expect(stockEffects(outcome)).toEqual([
      { kind: 'stock', ownerId: 'acme', locationId: 'loc-dock', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: 6 },
    ]);
    expect(putOf(outcome, 'receiptLines')).toMatchObject({ id: 'rl-widget', receivedQty: 6, damagedQty: 0 });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-dock', 'p-widget')).toBe(6);
  });

  it('keeps lot, expiry and LPN on the stock, and registers a new LPN at the dock', async () => {
    const { ctx } = warehouse();
    const outcome = await applyReceive(receive({ productId: 'p-serum', qty: 4, lot: 'L9', expiry: '2027-02-28', lpn: 'LPN-1' }), ctx());
    expect(stockEffects(outcome)).toEqual([expect.objectContaining({ locationId: 'loc-dock', lot: 'L9', expiry: '2027-02-28', lpn: 'LPN-1', delta: 4 })]);
    expect(putOf(outcome, 'lpns')).toEqual({ id: 'LPN-1', ownerId: 'acme', locationId: 'loc-dock', status: 'open' });
  });

  it('reads a GS1 YYMMDD expiry, day 00 meaning the end of the month', async () => {
    const { ctx } = warehouse();
    const outcome = await applyReceive(receive({ productId: 'p-serum', qty: 1, lot: 'L9', expiry: '280200' }), ctx());
    expect(stockEffects(outcome)[0]?.expiry).toBe('2028-02-29');
  });

  it('sends damaged units to the damaged location and counts them apart', async () => {
    const { ctx } = warehouse();
    const outcome = await applyReceive(receive({ qty: 2, damagedQty: 3, damageReason: 'crushed' }), ctx());
    expect(stockEffects(outcome)).toEqual([
      expect.objectContaining({ locationId: 'loc-dock', delta: 2 }),
      expect.objectContaining({ locationId: 'loc-dmg', delta: 3, lpn: null }),
    ]);
    expect(putOf(outcome, 'receiptLines')).toMatchObject({ receivedQty: 2, damagedQty: 3 });
  });

  it('accepts only damaged units', async () => {
    const { ctx } = warehouse();
    const outcome = await applyReceive(receive({ qty: 0, damagedQty: 1 }), ctx());
    expect(stockEffects(outcome)).toEqual([expect.objectContaining({ locationId: 'loc-dmg', delta: 1 })]);
  });

  it('refuses damaged units when the warehouse has no damaged location', async () => {
    const { reader, ctx } = warehouse();
    reader.put('locations', { ...reader.row('locations', 'loc-dmg'), type: 'storage' });
    rejectionOf(await applyReceive(receive({ qty: 0, damagedQty: 1 }), ctx()), 'NOT_FOUND');
  });

  it('accepts up to the tolerance and refuses past it with the numbers', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyReceive(receive({ qty: 11 }), ctx())); // 10 expected + 10%
    const rejection = rejectionOf(await applyReceive(receive({ qty: 1 }), ctx()), 'OVER_RECEIPT');
    expect(rejection.details).toEqual({ expected: 10, received: 11, requested: 1, allowed: 11 });
    expect(rejection.message).toMatch(/10 expected, 11 received/);
  });

  it('rounds the tolerance down', async () => {
    const { ctx } = warehouse();
    // serum: 4 expected, +10% = 4.4 → 4.
    const rejection = rejectionOf(await applyReceive(receive({ productId: 'p-serum', qty: 5, lot: 'L9', expiry: '2027-01-01' }), ctx()), 'OVER_RECEIPT');
    expect(rejection.details).toMatchObject({ allowed: 4 });
  });

  it('does not count damaged units against the tolerance', async () => {
    const { ctx } = warehouse();
    putOf(await applyReceive(receive({ qty: 11, damagedQty: 5 }), ctx()), 'receiptLines');
  });

  it('refuses an item not on the receipt when the client does not allow unexpected items', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyReceive(receive({ productId: 'p-gizmo' }), ctx()), 'NOT_ON_RECEIPT');
    expect(rejection.message).toContain('GIZ-1');
  });

  it('adds an unexpected line with a deterministic id when the client allows it, without a tolerance', async () => {
    const { reader, ctx } = warehouse();
    const outcome = await applyReceive(receive({ receiptId: 'r-g', productId: 'p-gadget', qty: 50 }), ctx());
    expect(putOf(outcome, 'receiptLines')).toEqual({
      id: 'r-g:p-gadget',
      receiptId: 'r-g',
      ownerId: 'globex',
      productId: 'p-gadget',
      expectedQty: 0,
      receivedQty: 50,
      damagedQty: 0,
      unexpected: true,
    });
    reader.applyOutcome(outcome);
    expect(putOf(await applyReceive(receive({ receiptId: 'r-g', productId: 'p-gadget', qty: 2 }), ctx()), 'receiptLines')).toMatchObject({
      id: 'r-g:p-gadget',
      receivedQty: 52,
    });
  });

  it("refuses another client's product even where unexpected items are allowed", async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyReceive(receive({ receiptId: 'r-g', productId: 'p-widget' }), ctx()), 'NOT_ON_RECEIPT');
  });

  it('requires a lot and an expiry for tracked products', async () => {
    const { ctx } = warehouse();
    expect(rejectionOf(await applyReceive(receive({ productId: 'p-serum', expiry: '2027-01-01' }), ctx()), 'LOT_REQUIRED').message).toContain('lot');
    expect(rejectionOf(await applyReceive(receive({ productId: 'p-serum', lot: 'L9' }), ctx()), 'LOT_REQUIRED').message).toContain('expiry');
  });

  it('drops a lot typed for an untracked product, so its stock stays in one row', async () => {
    const { ctx } = warehouse();
    expect(stockEffects(await applyReceive(receive({ lot: 'X1' }), ctx()))[0]?.lot).toBeNull();
  });

  it.each(['2027-02-30', '2027-13-01', '270230', '271301', '31/12/2027', 'soon'])('refuses the impossible date %s', async (expiry) => {
    const { ctx } = warehouse();
    rejectionOf(await applyReceive(receive({ productId: 'p-serum', lot: 'L9', expiry }), ctx()), 'INVALID_DATE');
  });

  it('refuses expired units but accepts units expiring today', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyReceive(receive({ productId: 'p-serum', lot: 'L9', expiry: '2026-01-14' }), ctx()), 'EXPIRED');
    expect(rejection.details).toMatchObject({ expiry: '2026-01-14' });
    putOf(await applyReceive(receive({ productId: 'p-serum', lot: 'L9', expiry: '2026-01-15' }), ctx()), 'receiptLines');
  });

  it('refuses zero units, a closed receipt and an unknown receipt, and lets a client receive its own', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyReceive(receive({ qty: 0, damagedQty: 0 }), ctx()), 'INVALID_QUANTITY');
    rejectionOf(await applyReceive(receive({ receiptId: 'r-closed' }), ctx()), 'DOCUMENT_CLOSED');
    rejectionOf(await applyReceive(receive({ receiptId: 'r-none' }), ctx()), 'NOT_FOUND');
    expect(putsOf(await applyReceive(receive({ receiptId: 'r-g', productId: 'p-gadget' }), ctx(ACTORS.globexOnly)), 'receiptLines')).toHaveLength(1);
  });
});
