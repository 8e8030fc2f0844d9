// Packing and shipping order o-1 (widget ×3, serum lot L1 ×2) after it is picked to PACK-01.
import { describe, expect, it } from 'vitest';
import { warehouse, type Warehouse } from '../../../test/factories/warehouse';
import { putOf, putsOf, rejectionOf, stockEffects } from '../../../test/factories/outcome';
import { applyPack } from './pack';
import { applyPick } from './pick';
import { applyShip, shipmentId } from './ship';
import { applyShortPick } from './short-pick';

async function picked(): Promise<Warehouse> {
  const house = warehouse();
  const { reader, ctx } = house;
  reader.applyOutcome(await applyPick({ pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', lot: null, qty: 3 }, ctx()));
  reader.applyOutcome(await applyPick({ pickLineId: 'pk-serum', locationId: 'loc-a0102', productId: 'p-serum', lot: null, qty: 2 }, ctx()));
  return house;
}

async function packed(): Promise<Warehouse> {
  const house = await picked();
  const { reader, ctx } = house;
  reader.applyOutcome(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 3, cartonId: null, lot: null }, ctx()));
  reader.applyOutcome(await applyPack({ orderId: 'o-1', productId: 'p-serum', qty: 2, cartonId: null, lot: null }, ctx()));
  return house;
}

const ship = { orderId: 'o-1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' };

describe('pack', () => {
  it('refuses a unit of a lot not picked for the order, naming the lot that was', async () => {
    const { ctx } = await picked();
    const wrong = await applyPack({ orderId: 'o-1', productId: 'p-serum', qty: 1, cartonId: '1', lot: 'L2' }, ctx());
    expect(rejectionOf(wrong)).toMatchObject({
      code: 'WRONG_PRODUCT',
      message: 'Wrong lot: order #o-1 was picked from lot L1, this unit is lot L2. Take it out.',
      details: { expectedLots: ['L1'], scannedLot: 'L2' },
    });
    expect(putOf(await applyPack({ orderId: 'o-1', productId: 'p-serum', qty: 1, cartonId: '1', lot: 'L1' }, ctx()), 'orderLines')).toMatchObject({ packedQty: 1 });
  });

  it('counts packed units on the order line and packs the order once every picked unit is packed', async () => {
    const { reader, ctx } = await picked();
    const first = await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 3, cartonId: 'C1', lot: null }, ctx());
    expect(putOf(first, 'orderLines')).toMatchObject({ id: 'ol-widget', packedQty: 3 });
    expect(putsOf(first, 'orders')).toEqual([]);
    expect(stockEffects(first)).toEqual([]);
    reader.applyOutcome(first);
    const last = await applyPack({ orderId: 'o-1', productId: 'p-serum', qty: 2, cartonId: 'C1', lot: null }, ctx());
    expect(putOf(last, 'orders')).toMatchObject({ id: 'o-1', status: 'packed' });
  });

  it('packs an order whose short-picked line has nothing to pack', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick({ pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', lot: null, qty: 3 }, ctx()));
    reader.applyOutcome(await applyShortPick({ pickLineId: 'pk-serum', qty: 2, reason: 'out_of_stock' }, ctx()));
    expect(putOf(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 3, cartonId: null, lot: null }, ctx()), 'orders')).toMatchObject({ status: 'packed' });
  });

  it('does not call the order packed while its picking is still open', async () => {
    const { reader, ctx } = warehouse();
    reader.applyOutcome(await applyPick({ pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', lot: null, qty: 3 }, ctx()));
    expect(putsOf(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 3, cartonId: null, lot: null }, ctx()), 'orders')).toEqual([]);
  });

  it('refuses an item that is not on the order', async () => {
    const { ctx } = await picked();
    const rejection = rejectionOf(await applyPack({ orderId: 'o-1', productId: 'p-gizmo', qty: 1, cartonId: null, lot: null }, ctx()), 'WRONG_PRODUCT');
    expect(rejection.message).toContain('GIZ-1');
  });

  it('refuses more than the picked units left to pack', async () => {
    const { reader, ctx } = await picked();
    reader.applyOutcome(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 2, cartonId: null, lot: null }, ctx()));
    const rejection = rejectionOf(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 2, cartonId: null, lot: null }, ctx()), 'INVALID_QUANTITY');
    expect(rejection.message).toMatch(/^Only 1 picked units of WID-1 Widget are left to pack/);
  });

  it('refuses a shipped or cancelled order and an unknown order', async () => {
    const { reader, ctx } = await picked();
    rejectionOf(await applyPack({ orderId: 'o-x', productId: 'p-widget', qty: 1, cartonId: null, lot: null }, ctx()), 'NOT_FOUND');
    reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'shipped' });
    rejectionOf(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: null, lot: null }, ctx()), 'ALREADY_SHIPPED');
    reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'cancelled' });
    rejectionOf(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: null, lot: null }, ctx()), 'DOCUMENT_CLOSED');
  });
});

describe('ship', () => {
  it('takes the packed units out of staging, records the shipment and closes the order', async () => {
    const { reader, ctx } = await packed();
    const outcome = await applyShip(ship, ctx());
    expect(putOf(outcome, 'shipments')).toEqual({
      id: shipmentId('o-1'),
      ownerId: 'acme',
      orderId: 'o-1',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      shippedAt: '2026-01-15T10:00:00.000Z',
    });
    expect(putOf(outcome, 'orders')).toMatchObject({ status: 'shipped' });
    reader.applyOutcome(outcome);
    expect(reader.qty('loc-pack', 'p-widget')).toBe(0);
    expect(reader.qty('loc-pack', 'p-serum')).toBe(0);
  });

  it("takes its own lot from staging, not another order's earlier one", async () => {
    const { reader, ctx } = await packed();
    // Another order's serum, expiring sooner, waits at the same station.
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-pack', productId: 'p-serum', lot: 'L0', expiry: '2026-02-01', lpn: null, delta: 4 }]);
    reader.applyOutcome(await applyShip(ship, ctx()));
    expect(reader.qty('loc-pack', 'p-serum', { lot: 'L0' })).toBe(4);
    expect(reader.qty('loc-pack', 'p-serum', { lot: 'L1' })).toBe(0);
  });

  it('refuses an order that is not packed, naming what is missing', async () => {
    const { reader, ctx } = await picked();
    reader.applyOutcome(await applyPack({ orderId: 'o-1', productId: 'p-widget', qty: 1, cartonId: null, lot: null }, ctx()));
    const rejection = rejectionOf(await applyShip(ship, ctx()), 'NOT_PACKED');
    expect(rejection.message).toContain('2 × WID-1 Widget');
    expect(rejection.message).toContain('2 × SER-1 Serum');
    expect(rejection.details['unpacked']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderLineId: 'ol-widget', missing: 2 }),
        expect.objectContaining({ orderLineId: 'ol-serum', missing: 2 }),
      ]),
    );
  });

  it('refuses an order with nothing picked', async () => {
    const { ctx } = warehouse();
    expect(rejectionOf(await applyShip(ship, ctx()), 'NOT_PACKED').message).toContain('nothing has been picked');
  });

  it('refuses when the packed units are no longer at the station', async () => {
    const { reader, ctx } = await packed();
    reader.apply([{ kind: 'stock', ownerId: 'acme', locationId: 'loc-pack', productId: 'p-widget', lot: null, expiry: null, lpn: null, delta: -1 }]);
    const rejection = rejectionOf(await applyShip(ship, ctx()), 'INSUFFICIENT_STOCK');
    expect(rejection.details).toMatchObject({ available: 2, requested: 3 });
  });

  it('refuses shipping twice and an unknown order', async () => {
    const { reader, ctx } = await packed();
    rejectionOf(await applyShip({ ...ship, orderId: 'o-x' }, ctx()), 'NOT_FOUND');
    reader.applyOutcome(await applyShip(ship, ctx()));
    rejectionOf(await applyShip(ship, ctx()), 'ALREADY_SHIPPED');
  });
});
