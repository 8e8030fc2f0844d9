// Pack and ship through the real server, as two pack stations' devices push them: the units leave
// the staging bin once, a second station cannot pack what the first did, a cancelled order cannot
// be packed, and a tracking number labels one parcel only. PGlite, and PostgreSQL when set.
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
    const shipped = await push(server.app, a, [mutation(3, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS })]);
    expect(shipped.body.results[0]!.status).toBe('applied');
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
      mutation(3, 'ship', { orderId: ORDER, carrier: 'UPS', trackingNumber: UPS }),
      mutation(4, 'pick', pickArgs(lines[0]!.id, 'loc-b01', 'prd-b1', 1)),
      mutation(5, 'pack', { orderId: second, productId: 'prd-b1', qty: 1, cartonId: '1' }),
      mutation(6, 'ship', { orderId: second, carrier: 'UPS', trackingNumber: UPS.toLowerCase() }),
    ])).body.results;
    expect(results.slice(0, 5).map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(results[5]).toMatchObject({ status: 'rejected', code: 'ALREADY_SHIPPED', message: 'This tracking number is already on another shipment. Scan this parcel’s own carrier label.' });
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
});
