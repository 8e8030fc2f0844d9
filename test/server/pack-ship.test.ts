// Pack and ship through the real server, as two pack stations' devices push them: the units leave
// the staging bin once, a second station cannot pack what the first did, a cancelled order cannot
// be packed, a tracking number labels one parcel only, a serial number is packed once, and an
// order leaves short only with a supervisor's code, held until the supervisor releases it.
// PGlite, and PostgreSQL when set.
import { describe, expect, it } from 'vitest';
import { intake } from '../factories/orders';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';

const ORDER = '5234567890123456791';
const UPS = '1Z999AA10123456784';

async function qtyAt(server: TestServer, locationId: string, productId: string): Promise<number> {
  const { rows } = await server.db.query<{ qty: number }>('select coalesce(sum(qty), 0)::int as qty from stock where location_id = $1 and product_id = $2', [locationId, productId]);
  return rows[0]!.qty;
}

describe.each(BACKENDS)('pack and ship on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('two stations pack one order: together they pack it once, a third unit is refused, and the ship takes the units out', async () => {
    server = await startTestServer(backend);
    const a = await server.signIn('beta', '3333');
    const b = await server.signIn('operator', '1111');
    expect((await push(server.app, a, [mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2))])).body.results[0]!.status).toBe('applied');
    const pack = (seq: number) => mutation(seq, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 1, cartonId: '1' });
    const [first, second] = await Promise.all([push(server.app, a, [pack(2)]), push(server.app, b, [pack(1)])]);
    expect([first.body.results[0]!.status, second.body.results[0]!.status]).toEqual(['applied', 'applied']);
    const third = await push(server.app, b, [pack(2)]);
    expect(third.body.results[0]).toMatchObject({ status: 'rejected', code: 'INVALID_QUANTITY' });
    expect(third.body.results[0]!.message).toContain('Only 0 picked units');

    expect(await qtyAt(server, 'loc-pack', 'prd-b1')).toBe(2);
    const shipped = await push(server.app, a, [
      mutation(3, 'close-carton', { orderId: ORDER, carton: '1', cartonTypeId: 'box-b', weightGrams: 4800 }),
      mutation(4, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS }),
    ]);
    expect(shipped.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await qtyAt(server, 'loc-pack', 'prd-b1')).toBe(0);
    const { rows } = await server.db.query<{ status: string }>('select status from orders where id = $1', [ORDER]);
    expect(rows[0]!.status).toBe('shipped');
  });

  it('refuses a tracking number already on another shipment, and the order stays packed for its own label', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const station = await server.signIn('beta', '3333');
    const posted = await server.app.inject({ method: 'POST', url: '/api/orders', headers: admin, payload: { owner: 'BETA', ...intake('#4001', [{ sku: 'BETA-TNT', qty: 1 }]) } });
    const second = posted.json<{ order: { id: string } }>().order.id;
    await server.app.allocation.settle();
    const { rows: lines } = await server.db.query<{ id: string }>('select id from pick_lines where order_id = $1', [second]);
    const results = (await push(server.app, station, [
      mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
      mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 2, cartonId: '1' }),
      mutation(3, 'close-carton', { orderId: ORDER, carton: '1', cartonTypeId: 'box-b', weightGrams: 4800 }),
      mutation(4, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS }),
      mutation(5, 'pick', pickArgs(lines[0]!.id, 'loc-b01', 'prd-b1', 1)),
      mutation(6, 'pack', { orderId: second, productId: 'prd-b1', qty: 1, cartonId: '1' }),
      mutation(7, 'close-carton', { orderId: second, carton: '1', cartonTypeId: 'box-b', weightGrams: 2400 }),
      mutation(8, 'ship', { orderId: second, carrier: 'UPS', trackingNumber: UPS.toLowerCase() }),
    ])).body.results;
    expect(results.slice(0, 7).map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    expect(results[7]).toMatchObject({ status: 'rejected', code: 'ALREADY_SHIPPED', message: 'This tracking number is already on another shipment. Scan this parcel’s own carrier label.' });
    const { rows } = await server.db.query<{ status: string }>('select status from orders where id = $1', [second]);
    expect(rows[0]!.status).toBe('packed');
    // Its units are still at the pack station, waiting for the right label.
    expect(await qtyAt(server, 'loc-pack', 'prd-b1')).toBe(1);
  });

  it('refuses packing an order cancelled while it was on the bench, saying what to do with its units', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const station = await server.signIn('beta', '3333');
    expect((await push(server.app, station, [mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2))])).body.results[0]!.status).toBe('applied');
    const cancel = await server.app.inject({ method: 'POST', url: `/api/orders/${ORDER}/cancel`, headers: admin });
    expect(cancel.json()).toMatchObject({ outcome: 'exception' });
    const packed = await push(server.app, station, [mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 1, cartonId: '1' })]);
    expect(packed.body.results[0]).toMatchObject({ status: 'rejected', code: 'DOCUMENT_CLOSED', message: 'Order #2001 was cancelled. Put its units aside for a supervisor.' });
  });

  it('closes short only with a supervisor’s one-time code: the order waits on hold until released, then ships what is packed', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const station = await server.signIn('beta', '3333');
    const issued = await server.app.inject({ method: 'POST', url: '/api/supervisor/override-codes', headers: supervisor, payload: { count: 2 } });
    expect(issued.statusCode, issued.body).toBe(200);
    const [code] = issued.json<{ codes: string[] }>().codes;
    // One of the two tents was dropped at the bench: one is packed, the order leaves short.
    const close = (seq: number, overrideCode: string) =>
      mutation(seq, 'close-carton', { orderId: ORDER, carton: '1', cartonTypeId: 'box-b', weightGrams: 2400, short: { reason: 'Tent damaged at the bench', overrideCode } });
    const results = (await push(server.app, station, [
      mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
      mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 1, cartonId: '1' }),
      mutation(3, 'close-carton', { orderId: ORDER, carton: '1', cartonTypeId: 'box-b', weightGrams: 2400 }),
      close(4, 'AAAA-BBBB'),
      close(5, code!),
      close(6, code!),
    ])).body.results;
    expect(results.map((r) => r.code)).toEqual([null, null, 'OVERRIDE_REQUIRED', 'OVERRIDE_REFUSED', null, 'CARTON_CLOSED']);
    expect(results[3]!.message).toBe('The override code was not accepted: ask a supervisor for a new one.');

    const { rows: [held] } = await server.db.query<{ status: string; hold_reason: string }>('select status, hold_reason from orders where id = $1', [ORDER]);
    expect(held).toEqual({ status: 'on_hold', hold_reason: 'SHORT_PACKED' });
    const exceptions = await server.app.inject({ method: 'GET', url: '/api/supervisor/order-exceptions', headers: supervisor });
    expect(JSON.stringify(exceptions.json())).toContain('Tent damaged at the bench');
    // Held, it cannot ship; released by the supervisor, it ships the one tent packed.
    expect((await push(server.app, station, [mutation(7, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS })])).body.results[0]).toMatchObject({ code: 'NOT_PACKED' });
    const released = await server.app.inject({ method: 'POST', url: `/api/supervisor/orders/${ORDER}/release`, headers: supervisor });
    expect(released.json()).toMatchObject({ status: 'packed' });
    expect((await push(server.app, station, [mutation(8, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS })])).body.results[0]!.status).toBe('applied');
    expect(await qtyAt(server, 'loc-pack', 'prd-b1')).toBe(1);
  });

  it('packs a serial number once, even into another order the device cannot see', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const station = await server.signIn('beta', '3333');
    await server.db.query('update products set serial_tracked = true where id = $1', ['prd-b1']);
    const posted = await server.app.inject({ method: 'POST', url: '/api/orders', headers: admin, payload: { owner: 'BETA', ...intake('#4002', [{ sku: 'BETA-TNT', qty: 1 }]) } });
    const second = posted.json<{ order: { id: string } }>().order.id;
    await server.app.allocation.settle();
    const { rows: lines } = await server.db.query<{ id: string }>('select id from pick_lines where order_id = $1', [second]);
    const unit = (seq: number, orderId: string, serial: string | null) => mutation(seq, 'pack', { orderId, productId: 'prd-b1', qty: 1, cartonId: '1', serial }, 3);
    const results = (await push(server.app, station, [
      mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
      mutation(2, 'pick', pickArgs(lines[0]!.id, 'loc-b01', 'prd-b1', 1)),
      unit(3, ORDER, null),
      unit(4, ORDER, 'TNT-0001'),
      unit(5, ORDER, 'TNT-0001'),
      unit(6, ORDER, 'TNT-0002'),
      unit(7, second, 'tnt-0002'.toUpperCase()),
    ])).body.results;
    expect(results.map((r) => r.code)).toEqual([null, null, 'SERIAL_REQUIRED', null, 'SERIAL_ALREADY_PACKED', null, 'SERIAL_ALREADY_PACKED']);
    expect(results[6]!.message).toBe('This serial number is already packed in another order. Scan another unit and tell a supervisor.');
  });

  it('refuses moving units out of a closed carton, and a ship while a carton with units is open', async () => {
    server = await startTestServer(backend);
    const station = await server.signIn('beta', '3333');
    const results = (await push(server.app, station, [
      mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 2)),
      mutation(2, 'pack', { orderId: ORDER, productId: 'prd-b1', qty: 2, cartonId: '1' }),
      mutation(3, 'repack', { orderId: ORDER, fromCarton: '1', toCarton: '2', productId: 'prd-b1', qty: 1 }),
      mutation(4, 'close-carton', { orderId: ORDER, carton: '1', cartonTypeId: 'box-b', weightGrams: 2400 }),
      mutation(5, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS }),
      mutation(6, 'repack', { orderId: ORDER, fromCarton: '1', toCarton: '2', productId: 'prd-b1', qty: 1 }),
      mutation(7, 'close-carton', { orderId: ORDER, carton: '2', cartonTypeId: 'box-b', weightGrams: 2400 }),
      mutation(8, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS }),
    ])).body.results;
    expect(results.map((r) => r.code)).toEqual([null, null, null, null, 'NOT_PACKED', 'CARTON_CLOSED', null, null]);
    expect(results[4]!.message).toBe('Order #2001 is not packed: close its cartons. Pack it, then ship.');
  });
});
