// Packing and shipping order o-1 (widget ×3, serum lot L1 ×2) after it is picked to PACK-01:
// units into cartons, cartons closed with a box and a weight (short only with an override),
// units moved between open cartons, and the ship that needs every carton closed.
import { describe, expect, it } from 'vitest';
import { warehouse, type Warehouse } from '../../../test/factories/warehouse';
import { putOf, putsOf, rejectionOf, stockEffects } from '../../../test/factories/outcome';
import { applyCloseCarton, closedShort } from './close-carton';
import { applyPack } from './pack';
import { applyRepack } from './repack';
import { applyPick } from './pick';
import { applyShip, shipmentId } from './ship';

async function picked(): Promise<Warehouse> {
  const house = warehouse();
  const { reader, ctx } = house;
  reader.applyOutcome(await applyPick({ pickLineId: 'pk-widget', locationId: 'loc-a0101', productId: 'p-widget', lot: null, qty: 3 }, ctx()));
  reader.applyOutcome(await applyPick({ pickLineId: 'pk-serum', locationId: 'loc-a0102', productId: 'p-serum', lot: null, qty: 2 }, ctx()));
  return house;
}

/** Packs one scan (or a typed count) of `productId` into carton `cartonId`. */
const pack = (productId: string, qty = 1, extra: { cartonId?: string | null; lot?: string | null; serial?: string | null } = {}) =>
  ({ orderId: 'o-1', productId, qty, cartonId: extra.cartonId ?? '1', lot: extra.lot ?? null, serial: extra.serial ?? null });
const close = (carton = '1', extra: { cartonTypeId?: string; weightGrams?: number; short?: { reason: string; overrideCode: string } | null } = {}) =>
  ({ orderId: 'o-1', carton, cartonTypeId: extra.cartonTypeId ?? 'box-s', weightGrams: extra.weightGrams ?? 1200, short: extra.short ?? null });

/** Lets acme's packers type counts, as the tests below pack whole lines at once. */
function typedCounts(house: Warehouse): Warehouse {
  house.reader.put('owners', { ...house.reader.row('owners', 'acme'), packQuantityTyped: true });
  return house;
}

async function packed(): Promise<Warehouse> {
  const house = typedCounts(await picked());
  const { reader, ctx } = house;
  reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
  reader.applyOutcome(await applyPack(pack('p-serum', 2), ctx()));
  reader.applyOutcome(await applyCloseCarton(close(), ctx()));
  return house;
}

const ship = { orderId: 'o-1', carrier: 'UPS', trackingNumber: '1Z999AA10123456784' };

describe('pack', () => {
  it('refuses a unit of a lot not picked for the order, naming the lot that was', async () => {
    const { ctx } = await picked();
    const wrong = await applyPack(pack('p-serum', 1, { lot: 'L2' }), ctx());
    expect(rejectionOf(wrong)).toMatchObject({
      code: 'WRONG_PRODUCT',
      message: 'Wrong lot: order #o-1 was picked from lot L1, this unit is lot L2. Take it out.',
      details: { expectedLots: ['L1'], scannedLot: 'L2' },
    });
    expect(putOf(await applyPack(pack('p-serum', 1, { lot: 'L1' }), ctx()), 'orderLines')).toMatchObject({ packedQty: 1 });
  });

  it('counts packed units on the order line and in the carton, which it opens', async () => {
    const { reader, ctx } = await picked();
    const first = await applyPack(pack('p-widget', 1, { cartonId: '1' }), ctx());
    expect(putOf(first, 'orderLines')).toMatchObject({ id: 'ol-widget', packedQty: 1 });
    expect(putOf(first, 'cartons')).toMatchObject({ id: 'o-1|carton|1', label: '1', status: 'open', orderId: 'o-1', ownerId: 'acme' });
    expect(putOf(first, 'cartonLines')).toMatchObject({ cartonId: 'o-1|carton|1', productId: 'p-widget', qty: 1 });
    expect(putsOf(first, 'orders')).toEqual([]);
    expect(stockEffects(first)).toEqual([]);
    reader.applyOutcome(first);
    expect(putOf(await applyPack(pack('p-widget'), ctx()), 'cartonLines')).toMatchObject({ qty: 2 });
  });

  it('takes a typed count only where the owner allows it', async () => {
    const house = await picked();
    expect(rejectionOf(await applyPack(pack('p-widget', 3), house.ctx()), 'INVALID_QUANTITY').message).toBe('Scan each unit of WID-1 Widget: this merchant does not allow typed quantities.');
    typedCounts(house);
    expect(putOf(await applyPack(pack('p-widget', 3), house.ctx()), 'orderLines')).toMatchObject({ packedQty: 3 });
  });

  it('records a serial-tracked unit by its serial, once, and refuses one without', async () => {
    const { reader, ctx } = await picked();
    reader.put('products', { ...reader.row('products', 'p-widget'), serialTracked: true });
    expect(rejectionOf(await applyPack(pack('p-widget'), ctx()), 'SERIAL_REQUIRED').message).toBe('WID-1 is serial-tracked: scan the barcode with its serial number (S/N), one unit at a time.');
    const first = await applyPack(pack('p-widget', 1, { serial: 'SN-001' }), ctx());
    expect(putOf(first, 'cartonLines')).toMatchObject({ serial: 'SN-001', qty: 1 });
    reader.applyOutcome(first);
    expect(rejectionOf(await applyPack(pack('p-widget', 1, { serial: 'SN-001', cartonId: '2' }), ctx()), 'SERIAL_ALREADY_PACKED').message)
      .toBe('Serial SN-001 of WID-1 is already packed in carton 1. Scan another unit.');
    reader.applyOutcome(await applyPack(pack('p-widget', 1, { serial: 'SN-002' }), ctx()));
    expect(reader.row('orderLines', 'ol-widget').packedQty).toBe(2);
  });

  it('refuses an item that is not on the order', async () => {
    const { ctx } = await picked();
    const rejection = rejectionOf(await applyPack(pack('p-gizmo'), ctx()), 'WRONG_PRODUCT');
    expect(rejection.message).toContain('GIZ-1');
  });

  it('refuses more than the picked units left to pack (an extra unit)', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 2), ctx()));
    const rejection = rejectionOf(await applyPack(pack('p-widget', 2), ctx()), 'INVALID_QUANTITY');
    expect(rejection.message).toMatch(/^Only 1 picked units of WID-1 Widget are left to pack/);
  });

  it('puts nothing into a closed carton', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    reader.applyOutcome(await applyPack(pack('p-serum', 1, { cartonId: '2' }), ctx()));
    reader.applyOutcome(await applyCloseCarton(close(), ctx()));
    expect(rejectionOf(await applyPack(pack('p-serum'), ctx()), 'CARTON_CLOSED').message).toBe('Carton 1 of order #o-1 is closed. Add a carton for more units.');
    expect(putOf(await applyPack(pack('p-serum', 1, { cartonId: '2' }), ctx()), 'cartonLines')).toMatchObject({ cartonId: 'o-1|carton|2', qty: 2 });
  });

  it('refuses a shipped or cancelled order and an unknown order', async () => {
    const { reader, ctx } = await picked();
    rejectionOf(await applyPack({ ...pack('p-widget'), orderId: 'o-x' }, ctx()), 'NOT_FOUND');
    reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'shipped' });
    rejectionOf(await applyPack(pack('p-widget'), ctx()), 'ALREADY_SHIPPED');
    reader.put('orders', { ...reader.row('orders', 'o-1'), status: 'cancelled' });
    rejectionOf(await applyPack(pack('p-widget'), ctx()), 'DOCUMENT_CLOSED');
  });
});

describe('close-carton', () => {
  it('closes a carton with its box and weight, and packs the order when its last carton closes complete', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3, { cartonId: '1' }), ctx()));
    reader.applyOutcome(await applyPack(pack('p-serum', 2, { cartonId: '2' }), ctx()));
    const first = await applyCloseCarton(close('1', { weightGrams: 950 }), ctx());
    expect(putOf(first, 'cartons')).toMatchObject({ label: '1', status: 'closed', cartonTypeId: 'box-s', weightGrams: 950, closedAt: '2026-01-15T10:00:00.000Z', shortReason: null });
    // Carton 2 is still open: the order is not packed yet.
    expect(putsOf(first, 'orders')).toEqual([]);
    reader.applyOutcome(first);
    const last = await applyCloseCarton(close('2', { cartonTypeId: 'box-l', weightGrams: 400 }), ctx());
    expect(putOf(last, 'orders')).toMatchObject({ id: 'o-1', status: 'packed' });
    expect(closedShort(last)).toBe(false);
  });

  it('refuses to close the last carton of an incomplete order without an override, naming what is missing', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    const refused = rejectionOf(await applyCloseCarton(close(), ctx()), 'OVERRIDE_REQUIRED');
    expect(refused.message).toBe("Order #o-1 is not complete: still missing 2 × SER-1 Serum. Pack them, or close short with a supervisor's code and a reason.");
  });

  it('closes short with a reason and an override: the order waits for a supervisor, never "packed"', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    const short = await applyCloseCarton(close('1', { short: { reason: 'Serum leaking', overrideCode: 'K7QM-4XPT' } }), ctx());
    expect(putOf(short, 'cartons')).toMatchObject({ status: 'closed', shortReason: 'Serum leaking' });
    expect(putOf(short, 'orders')).toMatchObject({ status: 'on_hold' });
    expect(closedShort(short)).toBe(true);
  });

  it('refuses a box over its rated weight, another owner’s box, an empty carton and a closed one', async () => {
    const { reader, ctx } = typedCounts(await picked());
    rejectionOf(await applyCloseCarton(close(), ctx()), 'INVALID_QUANTITY');
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    reader.applyOutcome(await applyPack(pack('p-serum', 2), ctx()));
    expect(rejectionOf(await applyCloseCarton(close('1', { weightGrams: 7250 }), ctx()), 'INVALID_QUANTITY').message)
      .toBe('Small box holds up to 5 kg; this carton weighs 7.25 kg. Use a stronger box or split it.');
    rejectionOf(await applyCloseCarton(close('1', { cartonTypeId: 'box-g' }), ctx()), 'NOT_FOUND');
    reader.applyOutcome(await applyCloseCarton(close(), ctx()));
    rejectionOf(await applyCloseCarton(close(), ctx()), 'CARTON_CLOSED');
  });
});

describe('repack', () => {
  it('moves units between open cartons without changing what is packed', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    const moved = await applyRepack({ orderId: 'o-1', fromCarton: '1', toCarton: '2', productId: 'p-widget', lot: null, serial: null, qty: 2 }, ctx());
    expect(putsOf(moved, 'cartonLines').map((line) => [line.cartonId, line.qty])).toEqual([['o-1|carton|1', 1], ['o-1|carton|2', 2]]);
    expect(putsOf(moved, 'orderLines')).toEqual([]);
    reader.applyOutcome(moved);
    expect(rejectionOf(await applyRepack({ orderId: 'o-1', fromCarton: '1', toCarton: '2', productId: 'p-widget', lot: null, serial: null, qty: 2 }, ctx()), 'INVALID_QUANTITY').message)
      .toBe('Carton 1 holds 1 of WID-1 Widget, not 2.');
  });

  it('moves nothing out of or into a closed carton', async () => {
    const { reader, ctx } = typedCounts(await picked());
    reader.applyOutcome(await applyPack(pack('p-widget', 3), ctx()));
    reader.applyOutcome(await applyPack(pack('p-serum', 2, { cartonId: '2' }), ctx()));
    reader.applyOutcome(await applyCloseCarton(close('2'), ctx()));
    rejectionOf(await applyRepack({ orderId: 'o-1', fromCarton: '1', toCarton: '2', productId: 'p-widget', lot: null, serial: null, qty: 1 }, ctx()), 'CARTON_CLOSED');
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
    reader.applyOutcome(await applyPack(pack('p-widget'), ctx()));
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

  it('refuses an order whose carton holding units is still open', async () => {
    const { reader, ctx } = await packed();
    // Packed, then a unit moved into a carton nobody closed (a second device, offline).
    reader.put('cartons', { id: 'o-1|carton|2', ownerId: 'acme', orderId: 'o-1', label: '2', status: 'open', cartonTypeId: null, weightGrams: null, closedAt: null, shortReason: null });
    reader.put('cartonLines', { id: 'o-1|carton|2|p-widget||', ownerId: 'acme', orderId: 'o-1', cartonId: 'o-1|carton|2', productId: 'p-widget', lot: null, serial: null, qty: 1 });
    expect(rejectionOf(await applyShip(ship, ctx()), 'NOT_PACKED').message).toBe('Order #o-1 has carton 2 still open: close it with its box and weight, then ship.');
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
