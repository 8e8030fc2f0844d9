// Shopify order webhooks through the real server: signatures over the raw bytes, 64-bit ids kept
// exact, redeliveries and out-of-order versions, holds, a cancel, and pick lists that reach a
// device. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/domain/order-intake';
import { DEFAULT_ORDER_ID, shopifyOrderPayload, shopifySignature } from '../factories/shopify';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { connectShopify, DeviceModel, mutation, pickArgs, push } from './client';

const SHOP = 'beta-outdoor.myshopify.com';
const SECRET = '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';

async function connectShop(server: TestServer): Promise<void> {
  await connectShopify(server.app, await server.signIn('admin', '9999'), { domain: SHOP, secret: SECRET });
}

let deliveries = 0;
async function deliver(server: TestServer, body: string, options: { topic?: string; webhookId?: string; secret?: string; shop?: string; hmac?: string | null } = {}) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': options.topic ?? 'orders/create',
    'x-shopify-shop-domain': options.shop ?? SHOP,
    'x-shopify-webhook-id': options.webhookId ?? `b54557e4-bdd9-4b37-8a5f-bf7d70bc${String(++deliveries).padStart(4, '0')}`,
    'x-shopify-api-version': '2026-10',
  };
  const hmac = options.hmac === undefined ? shopifySignature(body, options.secret ?? SECRET) : options.hmac;
  if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
  const response = await server.app.inject({ method: 'POST', url: '/api/webhooks/shopify', headers, payload: body });
  return { status: response.statusCode, body: response.json<{ outcome?: string; orderId?: string; status?: string; error?: string; message?: string }>() };
}

async function ordersOf(server: TestServer): Promise<{ id: string; external_id: string; status: string; number: string }[]> {
  const { rows } = await server.db.query<{ id: string; external_id: string; status: string; number: string }>(`select id, external_id, status, number from orders where source = 'shopify' order by number`);
  return rows;
}

async function view(server: TestServer, id: string): Promise<OrderView> {
  const admin = await server.signIn('admin', '9999');
  return (await server.app.inject({ method: 'GET', url: `/api/orders/${id}`, headers: admin })).json<OrderView>();
}

const tent = (qty: number, extra: object = {}) => ({ sku: 'BETA-TNT', title: 'Two-person tent', qty, ...extra });

describe.each(BACKENDS)('Shopify webhooks on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('takes a signed orders/create in with its 64-bit id exact, allocates it, and the device gets its pick list', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const device = new DeviceModel(server, await server.signIn('beta', '3333'));
    const body = shopifyOrderPayload({ name: '#1001', lines: [tent(2, { properties: [{ name: 'Gift note', value: 'Happy camping' }] })] });
    expect(body).toContain(DEFAULT_ORDER_ID);

    const created = await deliver(server, body);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ outcome: 'created', status: 'open' });
    expect(await ordersOf(server)).toMatchObject([{ external_id: DEFAULT_ORDER_ID, number: '#1001' }]);

    await server.app.allocation.settle();
    const order = await view(server, created.body.orderId!);
    expect(order).toMatchObject({ status: 'allocated', externalId: DEFAULT_ORDER_ID, lines: [{ sku: 'BETA-TNT', qty: 2, externalId: '9007199254740993' }] });
    await device.sync();
    expect(device.rows.get(`pickLists/${order.pickLists[0]!.id}`)).toMatchObject({ status: 'open' });
  });

  it('answers a redelivery as the first time and never creates an order twice, even concurrently', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const body = shopifyOrderPayload({ name: '#1002', lines: [tent(1)] });
    const same = await Promise.all(Array.from({ length: 5 }, () => deliver(server, body, { webhookId: 'dup-webhook-1' })));
    expect(new Set(same.map((a) => JSON.stringify(a)))).toHaveLength(1);
    expect(same[0]!.body.outcome).toBe('created');
    // Another delivery of the same order (a new webhook id) changes nothing either.
    const again = await deliver(server, body, { webhookId: 'dup-webhook-2' });
    expect(again.body).toMatchObject({ outcome: 'unchanged', orderId: same[0]!.body.orderId });
    expect(await ordersOf(server)).toHaveLength(1);
  });

  it('refuses a missing, wrong or tampered signature and an unknown shop with 401, changing nothing', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const body = shopifyOrderPayload({ name: '#1003', lines: [tent(1)] });
    expect((await deliver(server, body, { hmac: null })).status).toBe(401);
    expect((await deliver(server, body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await deliver(server, body, { hmac: shopifySignature(body.replace('"quantity": 1', '"quantity": 9'), SECRET) })).status).toBe(401);
    const tampered = await deliver(server, body.replace('#1003', '#1004'), { hmac: shopifySignature(body, SECRET) });
    expect(tampered).toMatchObject({ status: 401, body: { error: 'UNAUTHORIZED' } });
    expect((await deliver(server, body, { shop: 'someone-else.myshopify.com' })).status).toBe(401);
    expect(await ordersOf(server)).toEqual([]);
    const { rows } = await server.db.query('select 1 from webhook_events');
    expect(rows).toEqual([]);
  });

  it('lets the later version win whichever arrives first, and ignores an older one', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const created = shopifyOrderPayload({ name: '#1005', lines: [tent(1)], updatedAt: '2026-12-05T09:00:00-05:00' });
    const updated = shopifyOrderPayload({ name: '#1005', lines: [tent(3)], updatedAt: '2026-12-05T09:30:00-05:00' });
    const first = await deliver(server, updated, { topic: 'orders/updated' });
    expect(first.body.outcome).toBe('created');
    const late = await deliver(server, created);
    expect(late.body).toMatchObject({ outcome: 'stale', orderId: first.body.orderId });
    expect((await view(server, first.body.orderId!)).lines.map((l) => l.qty)).toEqual([3]);
  });

  it('holds an order with a gift card, an unknown SKU or no address, with the reason', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const gift = await deliver(server, shopifyOrderPayload({ id: '5870917419123450001', name: '#1006', lines: [tent(1), { sku: null, title: 'Gift card', qty: 1, giftCard: true, requiresShipping: false }] }));
    const unknown = await deliver(server, shopifyOrderPayload({ id: '5870917419123450002', name: '#1007', lines: [{ sku: 'BETA-STOVE', title: 'Camp stove', qty: 1 }] }));
    const digital = await deliver(server, shopifyOrderPayload({ id: '5870917419123450003', name: '#1008', lines: [tent(1)], shippingAddress: null }));
    expect(gift.body).toMatchObject({ status: 'on_hold' });
    expect((await view(server, gift.body.orderId!)).holdReason).toBe('NOT_SHIPPABLE');
    const stove = await view(server, unknown.body.orderId!);
    expect(stove).toMatchObject({ holdReason: 'UNKNOWN_SKU', holdDetails: { problems: [{ code: 'UNKNOWN_SKU', sku: 'BETA-STOVE', name: 'Camp stove' }] } });
    expect((await view(server, digital.body.orderId!)).holdReason).toBe('MISSING_ADDRESS');
  });

  it('orders/cancelled takes the order off its list; an offline pick of it is refused', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const operator = await server.signIn('beta', '3333');
    const created = await deliver(server, shopifyOrderPayload({ name: '#1009', lines: [tent(1)], updatedAt: '2026-12-05T09:00:00-05:00' }));
    await server.app.allocation.settle();
    const { rows } = await server.db.query<{ id: string }>('select id from pick_lines where order_id = $1', [created.body.orderId]);
    const cancelled = await deliver(server, shopifyOrderPayload({ name: '#1009', lines: [tent(1)], updatedAt: '2026-12-05T10:00:00-05:00', cancelledAt: '2026-12-05T10:00:00-05:00', cancelReason: 'customer' }), { topic: 'orders/cancelled' });
    expect(cancelled.body).toMatchObject({ outcome: 'cancelled', status: 'cancelled' });
    const pick = await push(server.app, operator, [mutation(1, 'pick', pickArgs(rows[0]!.id, 'loc-b01', 'prd-b1', 1))]);
    expect(pick.body.results[0]).toMatchObject({ status: 'rejected', details: { reason: 'ORDER_CANCELLED' } });
  });

  it('refuses a body that is not JSON or not an order, recording nothing, and ignores other topics', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const broken = await deliver(server, '{"id": 5870917419123456789, "name": ');
    expect(broken).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    const notOrder = await deliver(server, '{"id": 5870917419123456789, "title": "A product"}');
    expect(notOrder.status).toBe(422);
    expect(notOrder.body.message).toMatch(/name|line_items/);
    const other = await deliver(server, '{"id": 1}', { topic: 'products/update' });
    expect(other).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
    expect(await ordersOf(server)).toEqual([]);
  });

  it('takes Shopify’s documented fixture payloads, their ids beyond 2^53 exact', async () => {
    server = await startTestServer(backend);
    await connectShop(server);
    const fixture = readFileSync('test/fixtures/shopify/orders-create.json', 'utf8');
    const created = await deliver(server, fixture);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = /"id":\s*(\d{17,19}),\s*"admin_graphql_api_id":\s*"gid:\/\/shopify\/Order/.exec(fixture)?.[1];
    expect((await ordersOf(server))[0]!.external_id).toBe(id);
    // Its SKUs are not Beta's products: held, named, never dropped.
    expect(created.body.status).toBe('on_hold');
  });
});
