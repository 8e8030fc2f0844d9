// Returns on RMA ret-1 (widget ×2 and gizmo ×1 authorised), received at RET-01, then disposed.
import { describe, expect, it } from 'vitest';
import { warehouse, type Warehouse } from '../../../test/factories/warehouse';
import { putOf, putsOf, rejectionOf, stockEffects } from '../../../test/factories/outcome';
import type { ArgsOf } from '../mutations';
import { applyRestock } from './restock';
import { applyReturnReceive } from './return-receive';

const restock = (overrides: Partial<ArgsOf<'restock'>>): ArgsOf<'restock'> => ({
  returnId: 'ret-1',
  productId: 'p-widget',
  lot: null,
  qty: 1,
  disposition: 'restock',
  toLocationId: 'loc-a0101',
  overrideReason: null,
  damageReason: null,
  ...overrides,
});

async function received(): Promise<Warehouse> {
  const house = warehouse();
  const { reader, ctx } = house;
  reader.applyOutcome(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-widget', lot: null, qty: 2 }, ctx()));
  reader.applyOutcome(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-gizmo', lot: null, qty: 1 }, ctx()));
  return house;
}

describe('return-receive', () => {
  it('lands returned units at the returns location and counts them', async () => {
    const { reader, ctx } = warehouse();
    const outcome = await applyReturnReceive({ returnId: 'ret-1', productId: 'p-widget', lot: null, qty: 2 }, ctx());
    expect(stockEffects(outcome)).toEqual([expect.objectContaining({ locationId: 'loc-ret', productId: 'p-widget', delta: 2 })]);
    expect(putOf(outcome, 'returnLines')).toMatchObject({ id: 'retl-widget', receivedQty: 2 });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-ret', 'p-widget')).toBe(2);
  });

  it('refuses more than authorised, with the numbers', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-widget', lot: null, qty: 1 }, ctx()));
    const rejection = rejectionOf(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-widget', lot: null, qty: 2 }, ctx()), 'OVER_RETURN');
    expect(rejection.details).toEqual({ authorised: 2, received: 1, requested: 2, allowed: 1 });
  });

  it('refuses an item not on the RMA', async () => {
    const { ctx } = warehouse();
    const rejection = rejectionOf(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-serum', lot: 'L1', qty: 1 }, ctx()), 'NOT_ON_RECEIPT');
    expect(rejection.message).toMatch(/^This item .* is not on return RMA RMA-ret-1/);
  });

  it('requires the lot of a lot-tracked product', async () => {
    const { reader, ctx } = warehouse();
    reader.put('returnLines', { id: 'retl-serum', returnId: 'ret-1', ownerId: 'acme', productId: 'p-serum', authorisedQty: 1, receivedQty: 0, restockedQty: 0, damagedQty: 0, quarantinedQty: 0 });
    rejectionOf(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-serum', lot: null, qty: 1 }, ctx()), 'LOT_REQUIRED');
  });

  it('refuses a closed return and an unknown one', async () => {
    const { ctx } = warehouse();
    rejectionOf(await applyReturnReceive({ returnId: 'ret-closed', productId: 'p-widget', lot: null, qty: 1 }, ctx()), 'DOCUMENT_CLOSED');
    rejectionOf(await applyReturnReceive({ returnId: 'ret-x', productId: 'p-widget', lot: null, qty: 1 }, ctx()), 'NOT_FOUND');
  });
});

describe('restock', () => {
  it('moves restocked units from the returns location to the scanned bin', async () => {
    const { reader, ctx } = await received();
    const outcome = await applyRestock(restock({ qty: 2 }), ctx());
    expect(putOf(outcome, 'returnLines')).toMatchObject({ restockedQty: 2 });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-ret', 'p-widget')).toBe(0);
    expect(reader.qty('loc-a0101', 'p-widget')).toBe(22);
  });

  it('sends damaged and quarantined units to their own locations', async () => {
    const { ctx } = await received();
    const damaged = await applyRestock(restock({ disposition: 'damaged', toLocationId: null }), ctx());
    expect(stockEffects(damaged).map((effect) => [effect.locationId, effect.delta])).toEqual([['loc-ret', -1], ['loc-dmg', 1]]);
    expect(putOf(damaged, 'returnLines')).toMatchObject({ damagedQty: 1 });
    const quarantined = await applyRestock(restock({ disposition: 'quarantine', toLocationId: null }), ctx());
    expect(stockEffects(quarantined).map((effect) => effect.locationId)).toEqual(['loc-ret', 'loc-qua']);
    expect(putOf(quarantined, 'returnLines')).toMatchObject({ quarantinedQty: 1 });
  });

  it('closes the return when every authorised unit is received and disposed', async () => {
    const { reader, ctx } = await received();
    reader.applyOutcome(await applyRestock(restock({ qty: 1 }), ctx()));
    reader.applyOutcome(await applyRestock(restock({ qty: 1, disposition: 'damaged', toLocationId: null }), ctx()));
    const last = await applyRestock(restock({ productId: 'p-gizmo', disposition: 'quarantine', toLocationId: null }), ctx());
    expect(putOf(last, 'returns')).toMatchObject({ id: 'ret-1', status: 'closed' });
  });

  it('keeps the return open while authorised units have not arrived', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyReturnReceive({ returnId: 'ret-1', productId: 'p-widget', lot: null, qty: 2 }, ctx()));
    expect(putsOf(await applyRestock(restock({ qty: 2 }), ctx()), 'returns')).toEqual([]);
  });

  it('refuses more than the received units still to dispose', async () => {
    const { reader, ctx } = await received();
    reader.applyOutcome(await applyRestock(restock({ qty: 1 }), ctx()));
    const rejection = rejectionOf(await applyRestock(restock({ qty: 2 }), ctx()), 'OVER_RETURN');
    expect(rejection.details).toMatchObject({ received: 2, disposed: 1, requested: 2, allowed: 1 });
  });

  it('needs a sellable bin to restock into', async () => {
    const { ctx } = await received();
    rejectionOf(await applyRestock(restock({ toLocationId: null }), ctx()), 'WRONG_LOCATION');
    rejectionOf(await applyRestock(restock({ toLocationId: 'loc-qua' }), ctx()), 'WRONG_LOCATION');
    rejectionOf(await applyRestock(restock({ toLocationId: 'loc-nope' }), ctx()), 'NOT_FOUND');
  });

  it('respects the bin capacity', async () => {
    const { reader, ctx } = await received();
    // B-01-01 holds 3 gizmos of its 10: fill it.
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-b0101', productId: 'p-gizmo', lot: null, expiry: null, lpn: null, delta: 7 }]);
    rejectionOf(await applyRestock(restock({ toLocationId: 'loc-b0101' }), ctx()), 'INVALID_QUANTITY');
  });

  it('refuses when the returned units are gone from the returns location', async () => {
    const { reader, ctx } = await received();
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-ret', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: -2 }]);
    rejectionOf(await applyRestock(restock({}), ctx()), 'INSUFFICIENT_STOCK');
  });

  it('refuses when there is no location for the disposition', async () => {
    const { reader, ctx } = await received();
    reader.put('locations', { ...reader.row('locations', 'loc-qua'), type: 'storage' });
    rejectionOf(await applyRestock(restock({ disposition: 'quarantine', toLocationId: null }), ctx()), 'NOT_FOUND');
  });

  it('refuses a closed return and an item not on it', async () => {
    const { ctx } = await received();
    rejectionOf(await applyRestock(restock({ returnId: 'ret-closed' }), ctx()), 'DOCUMENT_CLOSED');
    rejectionOf(await applyRestock(restock({ productId: 'p-serum' }), ctx()), 'NOT_ON_RECEIPT');
  });
});
