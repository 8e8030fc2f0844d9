// Orders in through REST, allocated into waves of pick lists that reach devices by pull; holds,
// backorders that fill themselves when stock is put away, cancels, and waves held and released.
// On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { describe, expect, it } from 'vitest';
import { OrderIntake, type OrderView } from '../../src/domain/order-intake';
import { takeInOrder } from '../../server/orders/intake';
import { readConfig } from '../../server/config';
import { intake } from '../factories/orders';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { DeviceModel, mutation, pickArgs, push } from './client';

type Headers = { authorization: string };
type Answer = { outcome: string; order: OrderView };

async function postOrder(server: TestServer, headers: Record<string, string>, body: unknown, owner = 'BETA') {
  const response = await server.app.inject({ method: 'POST', url: '/api/orders', headers, payload: { owner, ...(body as object) } });
  return { status: response.statusCode, body: response.json<Answer & { error?: string; message?: string }>() };
}

async function getOrder(server: TestServer, headers: Headers, id: string): Promise<OrderView> {
  const response = await server.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<OrderView>();
}

describe.each(BACKENDS)('orders in on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('takes an order in once, allocates it into a wave, and the pick list reaches the owner’s device by pull', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const device = new DeviceModel(server, await server.signIn('beta', '3333'));
    await device.sync();

    const first = await postOrder(server, admin, intake('#3001', [{ sku: 'BETA-TNT', qty: 3 }]));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'created', order: { number: '#3001', status: 'open', shipTo: { country: 'GB' } } });
    // The same order again is the same order, however often it is sent.
    const again = await postOrder(server, admin, intake('#3001', [{ sku: 'BETA-TNT', qty: 3 }]));
    expect(again).toMatchObject({ status: 200, body: { outcome: 'unchanged', order: { id: first.body.order.id } } });

    await server.app.allocation.settle();
    const order = await getOrder(server, admin, first.body.order.id);
    expect(order.status).toBe('allocated');
    expect(order.pickLists).toHaveLength(1);
    const list = order.pickLists[0]!;
    expect(list.waveId).toMatch(/^wav-/);

    await device.sync();
    expect(device.rows.get(`pickLists/${list.id}`)).toMatchObject({ number: list.number, status: 'open', ownerId: 'own-b' });
    const lines = [...device.rows].filter(([key, row]) => key.startsWith('pickLines/') && row['pickListId'] === list.id);
    expect(lines.map(([, row]) => [row['locationId'], row['qty']])).toEqual([['loc-b01', 3]]);
    expect(device.rows.get(`orders/${order.id}`)).toMatchObject({ number: '#3001', status: 'allocated' });
    const { rows } = await server.db.query<{ n: number }>(`select count(*)::int as n from orders where number = '#3001'`);
    expect(rows[0]!.n).toBe(1);
  });

  it('holds an order with an unknown SKU, a line that needs no shipping, or no address, and says why', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const unknown = await postOrder(server, admin, intake('#3002', [{ sku: 'BETA-TNT', qty: 1 }, { sku: 'NO-SUCH', qty: 1 }]));
    expect(unknown.body.order).toMatchObject({ status: 'on_hold', holdReason: 'UNKNOWN_SKU', holdDetails: { problems: [{ code: 'UNKNOWN_SKU', line: 2, sku: 'NO-SUCH' }] } });
    const gift = await postOrder(server, admin, intake('#3003', [{ sku: 'BETA-TNT', qty: 1 }, { sku: 'GIFT-25', qty: 1, requiresShipping: false }]));
    expect(gift.body.order).toMatchObject({ status: 'on_hold', holdReason: 'NOT_SHIPPABLE' });
    const noAddress = await postOrder(server, admin, intake('#3004', [{ sku: 'BETA-TNT', qty: 1 }], { shipTo: null }));
    expect(noAddress.body.order).toMatchObject({ status: 'on_hold', holdReason: 'MISSING_ADDRESS' });
    await server.app.allocation.settle();
    const held = await server.app.inject({ method: 'GET', url: '/api/orders?status=on_hold', headers: admin });
    expect(held.json<{ orders: OrderView[] }>().orders.map((o) => o.number).sort()).toEqual(['#3002', '#3003', '#3004']);
    // Nothing of a held order is promised or on a device.
    const { rows } = await server.db.query(`select 1 from pick_lines p join orders o on o.id = p.order_id where o.number in ('#3002', '#3003', '#3004')`);
    expect(rows).toEqual([]);
  });

  it('refuses a bad order with the field named and changes nothing; an Idempotency-Key replays its first answer', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const bad = await postOrder(server, admin, { ...intake('#3005', [{ sku: 'BETA-TNT', qty: 0 }]) });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('body/lines/0/qty');
    const keyed = { ...admin, 'idempotency-key': 'req-42' };
    const first = await postOrder(server, keyed, intake('#3006', [{ sku: 'BETA-TNT', qty: 1 }]));
    expect(first.status).toBe(201);
    const replay = await postOrder(server, keyed, intake('#3006', [{ sku: 'BETA-TNT', qty: 1 }]));
    expect(replay).toMatchObject({ status: 201, body: { outcome: 'created', order: { id: first.body.order.id } } });
    const reused = await postOrder(server, keyed, intake('#3007', [{ sku: 'BETA-TNT', qty: 1 }]));
    expect(reused).toMatchObject({ status: 422, body: { error: 'IDEMPOTENCY_KEY_REUSED' } });
    const { rows } = await server.db.query<{ number: string }>(`select number from orders where number like '#300%' order by number`);
    expect(rows.map((r) => r.number)).toEqual(['#3006']);
  });

  it('backorders an order stock cannot fill, and allocates it by itself once stock is put away', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('beta', '3333');
    // 10 tents in B-01, 2 promised to an open list: 8 free.
    const big = await postOrder(server, admin, intake('#3010', [{ sku: 'BETA-TNT', qty: 12 }]));
    const small = await postOrder(server, admin, intake('#3011', [{ sku: 'BETA-TNT', qty: 8 }], { orderedAt: '2026-11-24T10:00:00Z' }));
    await server.app.allocation.settle();
    expect(await getOrder(server, admin, big.body.order.id)).toMatchObject({
      status: 'backordered',
      shortfall: [{ requested: 12, available: 8, reason: 'no_stock' }],
    });
    // The younger order fits and is not held back by the older one that does not.
    expect((await getOrder(server, admin, small.body.order.id)).status).toBe('allocated');

    // 20 arrive at the dock and are put away into B-01: the backorder fills itself.
    const received = await push(server.app, operator, [
      mutation(1, 'receive', { receiptId: 'rcp-b', productId: 'prd-b1', qty: 20 }),
      mutation(2, 'move', { productId: 'prd-b1', fromLocationId: 'loc-dock', toLocationId: 'loc-b01', qty: 20 }),
    ]);
    expect(received.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    await server.app.allocation.settle();
    const filled = await getOrder(server, admin, big.body.order.id);
    expect(filled.status).toBe('allocated');
    expect(filled.shortfall).toBeNull();
    const promised = await server.db.query<{ n: number }>(`select sum(qty - picked_qty - short_qty)::int as n from pick_lines where product_id = 'prd-b1' and status = 'open'`);
    expect(promised.rows[0]!.n).toBe(2 + 8 + 12);
  });

  it('cancels an order not yet picked: its lines leave the device, and an offline pick of one is refused with the reason', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('beta', '3333');
    const device = new DeviceModel(server, operator);
    const posted = await postOrder(server, admin, intake('#3020', [{ sku: 'BETA-TNT', qty: 2 }]));
    await server.app.allocation.settle();
    await device.sync();
    const order = await getOrder(server, admin, posted.body.order.id);
    const lineKey = [...device.rows.keys()].find((key) => key.startsWith('pickLines/') && device.rows.get(key)!['orderId'] === order.id)!;
    expect(lineKey).toBeDefined();

    const cancel = await server.app.inject({ method: 'POST', url: `/api/orders/${order.id}/cancel`, headers: admin });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json<Answer>()).toMatchObject({ outcome: 'cancelled', order: { status: 'cancelled' } });
    // A scan made offline before the device heard of the cancel.
    const line = device.rows.get(lineKey)!;
    const pick = await push(server.app, operator, [mutation(1, 'pick', pickArgs(line['id'] as string, 'loc-b01', 'prd-b1', 1))]);
    expect(pick.body.results[0]).toMatchObject({ status: 'rejected', code: 'DOCUMENT_CLOSED', details: { reason: 'ORDER_CANCELLED' } });
    expect(pick.body.results[0]!.message).toContain('#3020 was cancelled');
    await device.sync();
    expect(device.rows.has(lineKey)).toBe(false);
    expect(device.rows.has(`orders/${order.id}`)).toBe(false);
  });

  it('cancels an order after a pick: an exception for a supervisor names the units to bring back', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('beta', '3333');
    const posted = await postOrder(server, admin, intake('#3021', [{ sku: 'BETA-TNT', qty: 2 }]));
    await server.app.allocation.settle();
    const order = await getOrder(server, admin, posted.body.order.id);
    const { rows } = await server.db.query<{ id: string }>('select id from pick_lines where order_id = $1', [order.id]);
    const picked = await push(server.app, operator, [mutation(1, 'pick', pickArgs(rows[0]!.id, 'loc-b01', 'prd-b1', 1))]);
    expect(picked.body.results[0]!.status).toBe('applied');
    const cancel = await server.app.inject({ method: 'POST', url: `/api/orders/${order.id}/cancel`, headers: admin });
    expect(cancel.json<Answer>()).toMatchObject({
      outcome: 'exception',
      order: { status: 'cancelled', exceptions: [{ kind: 'cancelled_after_pick', details: { picked: [{ productId: 'prd-b1', qty: 1, stagingLocationId: 'loc-pack' }] } }] },
    });
    const supervisor = await server.signIn('supervisor', '2222');
    const listed = await server.app.inject({ method: 'GET', url: '/api/supervisor/order-exceptions', headers: supervisor });
    expect(listed.json()).toMatchObject({ exceptions: [{ orderNumber: '#3021', kind: 'cancelled_after_pick', resolvedAt: null }] });
    // Its unit can still be taken back to the bin from a device that has the line.
    const undo = await push(server.app, operator, [mutation(2, 'unpick', { pickLineId: rows[0]!.id, qty: 1 })]);
    expect(undo.body.results[0]!.status).toBe('applied');
  });

  it('a supervisor holds a wave (its lists leave the devices, picks are refused) and releases it', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('beta', '3333');
    const device = new DeviceModel(server, operator);
    const posted = await postOrder(server, admin, intake('#3030', [{ sku: 'BETA-TNT', qty: 1 }]));
    await server.app.allocation.settle();
    const order = await getOrder(server, admin, posted.body.order.id);
    const { id: listId, waveId } = order.pickLists[0]!;
    await device.sync();
    expect(device.rows.has(`pickLists/${listId}`)).toBe(true);

    const hold = await server.app.inject({ method: 'POST', url: `/api/supervisor/waves/${waveId}/hold`, headers: supervisor });
    expect(hold.json()).toMatchObject({ status: 'held', lists: [{ id: listId, status: 'held' }] });
    await device.sync();
    expect(device.rows.has(`pickLists/${listId}`)).toBe(false);
    const lineId = (await server.db.query<{ id: string }>('select id from pick_lines where pick_list_id = $1', [listId])).rows[0]!.id;
    const pick = await push(server.app, operator, [mutation(1, 'pick', pickArgs(lineId, 'loc-b01', 'prd-b1', 1))]);
    expect(pick.body.results[0]).toMatchObject({ status: 'rejected', details: { reason: 'HELD' } });

    const release = await server.app.inject({ method: 'POST', url: `/api/supervisor/waves/${waveId}/release`, headers: supervisor });
    expect(release.json()).toMatchObject({ status: 'released', lists: [{ id: listId, status: 'open' }] });
    await device.sync();
    expect(device.rows.get(`pickLists/${listId}`)).toMatchObject({ status: 'open' });
    expect(device.rows.get(`pickLines/${lineId}`)).toMatchObject({ qty: 1, pickedQty: 0 });
  });

  it('a supervisor holds an allocated order (its stock goes back to the pool) and releases it', async () => {
    server = await startTestServer(backend, undefined, { logger: { level: 'error' } });
    const admin = await server.signIn('admin', '9999');
    const supervisor = await server.signIn('supervisor', '2222');
    const posted = await postOrder(server, admin, intake('#3040', [{ sku: 'BETA-TNT', qty: 8 }]));
    await server.app.allocation.settle();
    const held = await server.app.inject({ method: 'POST', url: `/api/supervisor/orders/${posted.body.order.id}/hold`, headers: supervisor });
    expect(held.json()).toMatchObject({ status: 'on_hold', holdReason: 'HELD_BY_SUPERVISOR' });
    // Its 8 tents are free again: another order takes them.
    const other = await postOrder(server, admin, intake('#3041', [{ sku: 'BETA-TNT', qty: 8 }]));
    await server.app.allocation.settle();
    expect((await getOrder(server, admin, other.body.order.id)).status).toBe('allocated');
    const released = await server.app.inject({ method: 'POST', url: `/api/supervisor/orders/${posted.body.order.id}/release`, headers: supervisor });
    expect(released.json()).toMatchObject({ status: 'open' });
    await server.app.allocation.settle();
    expect((await getOrder(server, admin, posted.body.order.id)).status).toBe('backordered');
  });

  it('allocates a backlog larger than one run page by page, the most urgent first, leaving backorders ahead', async () => {
    server = await startTestServer(backend, undefined, { allocation: { ordersPerRun: 2 } });
    // 8 tents free. The most urgent order cannot be filled and waits at the front of every page.
    const specs: [string, number, string | null][] = [['#3060', 20, '2026-11-25'], ['#3061', 3, '2026-11-26'], ['#3062', 3, '2026-11-27'], ['#3063', 3, null], ['#3064', 1, null], ['#3065', 1, null]];
    // Taken in together (as one CSV file would be), then allocated in pages of two.
    await server.db.transaction(async (tx) => {
      for (const [number, qty, shipBy] of specs) {
        await takeInOrder(tx, { ownerId: 'own-b', source: 'api', integrationId: null }, OrderIntake.parse(intake(number, [{ sku: 'BETA-TNT', qty }], { shipBy, orderedAt: `2026-11-24T09:0${number.at(-1)}:00Z` })));
      }
    });
    server.app.allocation.request('own-b');
    await server.app.allocation.settle();
    const { rows } = await server.db.query<{ number: string; status: string }>(`select number, status from orders where number like '#306%' order by number`);
    expect(rows.map((r) => [r.number, r.status])).toEqual([
      ['#3060', 'backordered'],
      ['#3061', 'allocated'],
      ['#3062', 'allocated'],
      ['#3063', 'backordered'],
      ['#3064', 'allocated'],
      ['#3065', 'allocated'],
    ]);
  });

  it('keeps owners apart: an admin of one owner cannot see, post for or cancel another’s orders', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const posted = await postOrder(server, admin, intake('#3050', [{ sku: 'BETA-TNT', qty: 1 }]));
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: { username: 'acme-admin', displayName: 'Acme Admin', pin: '4455', role: 'admin', ownerIds: ['own-a'] } });
    expect(created.statusCode).toBe(201);
    const acme = await server.signIn('acme-admin', '4455');
    expect((await server.app.inject({ method: 'GET', url: `/api/orders/${posted.body.order.id}`, headers: acme })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'POST', url: `/api/orders/${posted.body.order.id}/cancel`, headers: acme })).statusCode).toBe(404);
    const forBeta = await postOrder(server, acme, intake('#3051', [{ sku: 'BETA-TNT', qty: 1 }]), 'BETA');
    expect(forBeta.status).toBe(404);
    expect(forBeta.body.message).not.toContain('Beta Outdoor');
    const list = await server.app.inject({ method: 'GET', url: '/api/orders', headers: acme });
    expect(list.json<{ orders: OrderView[] }>().orders.every((o) => o.ownerId === 'own-a')).toBe(true);
  });
});

describe('ORDERS_PER_LIST and LINES_PER_LIST', () => {
  it('default to 5 orders and 40 lines a list, and refuse anything but a whole number in range', () => {
    expect(readConfig({}).allocation).toEqual({ ordersPerList: 5, linesPerList: 40 });
    expect(readConfig({ ORDERS_PER_LIST: '12', LINES_PER_LIST: ' 80 ' }).allocation).toEqual({ ordersPerList: 12, linesPerList: 80 });
    expect(() => readConfig({ ORDERS_PER_LIST: '0' })).toThrow('ORDERS_PER_LIST must be a whole number from 1 to 100, not "0".');
    expect(() => readConfig({ LINES_PER_LIST: 'many' })).toThrow(/LINES_PER_LIST must be a whole number/);
  });
});
