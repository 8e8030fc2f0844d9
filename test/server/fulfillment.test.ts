// Telling the store what shipped, through the real server and a real HTTP receiver that checks
// the signature over the raw bytes: one notice per shipment, written with it, delivered after a
// crash, a receiver outage, a lost acknowledgement and two servers sending at once; none without a
// callback; failures shown to supervisors. On PGlite, and on PostgreSQL when TEST_DATABASE_URL is set.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { LEASE_MS, MAX_RETRY_MS, retryDelay } from '../../server/fulfillment/notice-runner';
import type { NoticeRunnerOptions } from '../../server/fulfillment/notice-runner';
import { DEFAULT_ORDER_ID, shopifyOrderPayload, shopifySignature } from '../factories/shopify';
import { intake } from '../factories/orders';
import { BACKENDS, checkAndCloseAfterEach, secondServer, startTestServer, type TestServer } from './harness';
import { connectShopify, mutation, pickArgs, push } from './client';
import { fixtureWarehouse, TODAY } from './fixture';

const SHOP = 'beta-outdoor.myshopify.com';
const SECRET = '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';
/** The first line item id the Shopify factory writes: one past 2^53. */
const FIRST_LINE_ID = '9007199254740993';
/** The fixture's order of owner B that came in through no integration. */
const FIXTURE_ORDER_B = '5234567890123456791';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** Whether X-Dockhand-Hmac-Sha256 is the HMAC of the raw body under the receiver's secret. */
  verified: boolean;
}

/** A store's endpoint: checks each notice's signature, answers `status()`, counts fulfillments once per Idempotency-Key. */
class Receiver {
  readonly received: Received[] = [];
  /** The fulfillments taken in, by Idempotency-Key: a repeat of a key is acknowledged and not counted again. */
  readonly fulfillments = new Map<string, unknown>();
  status = () => 200;
  secret = SECRET;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = createHmac('sha256', this.secret).update(raw).digest('base64');
        const verified = request.headers['x-dockhand-hmac-sha256'] === expected;
        this.received.push({ headers: request.headers, raw, verified });
        const status = verified ? this.status() : 401;
        const key = String(request.headers['idempotency-key']);
        if (status === 200 && !this.fulfillments.has(key)) this.fulfillments.set(key, JSON.parse(raw.toString('utf8')));
        response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'Service unavailable, try later');
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fulfillments`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/**
 * A clock the test moves by hand. It starts a minute ahead, so a notice the database stamped due
 * "now" while the test ran is due by it.
 */
class Clock {
  at = new Date(Date.now() + 60_000);
  now = () => this.at;
  advance(ms: number): Date {
    this.at = new Date(this.at.getTime() + ms);
    return this.at;
  }
}

type Headers = { authorization: string };

const connectShop = (server: TestServer, admin: Headers) => connectShopify(server.app, admin, { domain: SHOP, secret: SECRET });

async function setCallback(server: TestServer, admin: Headers, integrationId: string, url: string | null, extra: { newSigningSecret?: boolean } = {}) {
  const response = await server.app.inject({ method: 'PUT', url: `/api/admin/integrations/${integrationId}/fulfillment-callback`, headers: admin, payload: { url, ...extra } });
  return { status: response.statusCode, body: response.json<{ url: string | null; signedWith: string | null; signingSecret?: string; error?: string; message?: string }>() };
}

/** A Shopify order for two tents, taken in by webhook and allocated; answers its Dockhand id. */
async function shopifyOrder(server: TestServer, name = '#1001', id = DEFAULT_ORDER_ID): Promise<string> {
  const body = shopifyOrderPayload({ id, name, lines: [{ sku: 'BETA-TNT', title: 'Two-person tent', qty: 2 }] });
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': `wh-${name}`,
      'x-shopify-hmac-sha256': shopifySignature(body, SECRET),
    },
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(200);
  await server.app.allocation.settle();
  return response.json<{ orderId: string }>().orderId;
}

/** UPS tracking numbers with good check digits; a shipment each (a number labels one parcel). */
const TRACKING = ['1Z999AA10123456784', '1Z12345E6605272234'] as const;

/** Picks, packs and ships every line of `orderId` from one device; answers the ship's result. */
async function pickPackShip(server: TestServer, device: Headers, orderId: string, firstSeq = 1, trackingNumber: string = TRACKING[0]) {
  const { rows } = await server.db.query<{ id: string; location_id: string; product_id: string; qty: number }>(
    'select id, location_id, product_id, qty from pick_lines where order_id = $1 order by id', [orderId],
  );
  expect(rows.length).toBeGreaterThan(0);
  let seq = firstSeq;
  const mutations = [
    ...rows.map((line) => mutation(seq++, 'pick', pickArgs(line.id, line.location_id, line.product_id, Number(line.qty)))),
    ...rows.map((line) => mutation(seq++, 'pack', { orderId, productId: line.product_id, qty: Number(line.qty) })),
    mutation(seq++, 'close-carton', { orderId, carton: '1', cartonTypeId: 'box-b', weightGrams: 2400 }),
    mutation(seq++, 'ship', { orderId, carrier: 'UPS', trackingNumber }),
  ];
  const pushed = await push(server.app, device, mutations);
  expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
  expect(pushed.body.results.map((r) => r.status), JSON.stringify(pushed.body.results)).toEqual(mutations.map(() => 'applied'));
  return pushed.body.results.at(-1)!;
}

async function notices(server: TestServer) {
  const { rows } = await server.db.query<{ status: string; attempts: number; idempotency_key: string; last_status: number | null; last_error: string | null; next_attempt_at: Date }>(
    'select status, attempts, idempotency_key, last_status, last_error, next_attempt_at from fulfillment_notices order by id',
  );
  return rows;
}

/** The fixture with a supervisor and an admin of owner A only. */
function withOwnerAStaff() {
  const data = fixtureWarehouse();
  data.users.push(
    { username: 'acme-sup', displayName: 'Abe Acme', pin: '4444', role: 'supervisor', ownerIds: ['own-a'] },
    { username: 'acme-admin', displayName: 'Aly Acme', pin: '5555', role: 'admin', ownerIds: ['own-a'] },
  );
  return data;
}

describe('retry delays', () => {
  it('double from 30 s to an hour with jitter, go to an hour for a refusal, and honour Retry-After', () => {
    const top = () => 0.9999999999;
    expect(retryDelay(1, 'transient', () => 0)).toBe(15_000);
    expect(Math.round(retryDelay(1, 'transient', top))).toBe(30_000);
    expect(Math.round(retryDelay(3, 'transient', top))).toBe(120_000);
    expect(Math.round(retryDelay(50, 'transient', top))).toBe(MAX_RETRY_MS);
    expect(retryDelay(1, 'refused', () => 0)).toBe(MAX_RETRY_MS / 2);
    expect(retryDelay(1, 'transient', () => 0, 600_000)).toBe(600_000);
    expect(retryDelay(1, 'transient', () => 0, 10 * MAX_RETRY_MS)).toBe(MAX_RETRY_MS);
  });
});

describe.each(BACKENDS)('fulfillment notices on %s', (backend) => {
  let server: TestServer;
  let receiver: Receiver;
  checkAndCloseAfterEach(() => server);
  afterEach(async () => receiver?.close());

  /** A server (its notices sent only when the test says, on `clock`) with a shop whose callback is the receiver. */
  async function shopWithCallback(clock: Clock, options: Omit<NoticeRunnerOptions, 'log'> = {}) {
    receiver = new Receiver();
    const url = await receiver.listen();
    server = await startTestServer(backend, withOwnerAStaff(), { fulfillment: { background: false, now: clock.now, random: () => 0.5, ...options } });
    const admin = await server.signIn('admin', '9999');
    const integrationId = await connectShop(server, admin);
    expect((await setCallback(server, admin, integrationId, url)).status).toBe(200);
    return { admin, integrationId, url, device: await server.signIn('beta', '3333') };
  }

  it('tells a Shopify store of a shipment once, signed with its webhook secret, its 64-bit ids exact', async () => {
    receiver = new Receiver();
    const url = await receiver.listen();
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const integrationId = await connectShop(server, admin);
    const set = await setCallback(server, admin, integrationId, url);
    expect(set).toMatchObject({ status: 200, body: { url, signedWith: 'shopify-webhook-secret' } });
    expect(set.body.signingSecret).toBeUndefined();

    const orderId = await shopifyOrder(server);
    const shipped = await pickPackShip(server, await server.signIn('beta', '3333'), orderId);
    await server.app.fulfillment.settle();

    expect(receiver.received).toHaveLength(1);
    const [notice] = receiver.received;
    expect(notice!.verified).toBe(true);
    expect(notice!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-dockhand-topic': 'fulfillments/create',
      'idempotency-key': `shipment:${orderId}:shipment`,
    });
    // The ids are JSON strings, every digit kept: never numbers a parser would round.
    const raw = notice!.raw.toString('utf8');
    expect(raw).toContain(`"order_id":"${DEFAULT_ORDER_ID}"`);
    expect(raw).toContain(`"id":"${FIRST_LINE_ID}"`);
    const { rows: shipments } = await server.db.query<{ shipped_at: string }>('select shipped_at from shipments where order_id = $1', [orderId]);
    expect(JSON.parse(raw)).toEqual({
      order_id: DEFAULT_ORDER_ID,
      order_number: '#1001',
      tracking_number: TRACKING[0],
      tracking_company: 'UPS',
      line_items: [{ id: FIRST_LINE_ID, quantity: 2 }],
      shipped_at: shipments[0]!.shipped_at,
    });
    expect(shipped.status).toBe('applied');
    expect(await notices(server)).toMatchObject([{ status: 'delivered', attempts: 1, last_status: 200, last_error: null }]);
  });

  it('signs an api integration’s notices with the secret shown once when its callback is first set', async () => {
    receiver = new Receiver();
    const url = await receiver.listen();
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({ method: 'POST', url: '/api/admin/integrations', headers: admin, payload: { owner: 'BETA', name: 'Beta ERP', type: 'api' } });
    const { integration, apiKey } = created.json<{ integration: { id: string }; apiKey: string }>();
    const first = await setCallback(server, admin, integration.id, url);
    expect(first.body).toMatchObject({ url, signedWith: 'signing-secret', signingSecret: expect.stringMatching(/^dhs_[A-Za-z0-9_-]{43}$/) });
    // Given again (a new path, say), the URL changes and the secret stays, unseen.
    const again = await setCallback(server, admin, integration.id, url);
    expect(again.body.signingSecret).toBeUndefined();
    // Asked for, a new secret replaces it, shown once; the first no longer signs.
    const renewed = await setCallback(server, admin, integration.id, url, { newSigningSecret: true });
    expect(renewed.body.signingSecret).toMatch(/^dhs_/);
    expect(renewed.body.signingSecret).not.toBe(first.body.signingSecret);
    receiver.secret = renewed.body.signingSecret!;

    const order = { ...intake('#5001', [], { externalId: '18446744073709551614' }), lines: [{ externalId: '18446744073709551615', sku: 'BETA-TNT', qty: 1 }] };
    const posted = await server.app.inject({ method: 'POST', url: '/api/orders', headers: { authorization: `Bearer ${apiKey}` }, payload: { owner: 'BETA', ...order } });
    expect(posted.statusCode, posted.body).toBe(201);
    await server.app.allocation.settle();
    await pickPackShip(server, await server.signIn('beta', '3333'), posted.json<{ order: { id: string } }>().order.id);
    await server.app.fulfillment.settle();

    expect(receiver.received.map((r) => r.verified)).toEqual([true]);
    expect(JSON.parse(receiver.received[0]!.raw.toString('utf8'))).toMatchObject({ order_id: '18446744073709551614', order_number: '#5001', line_items: [{ id: '18446744073709551615', quantity: 1 }] });
  });

  it('delivers a notice committed before the server stopped, from the next server on the database', async () => {
    const clock = new Clock();
    const { device } = await shopWithCallback(clock);
    const orderId = await shopifyOrder(server);
    await pickPackShip(server, device, orderId);
    // The server stops after the ship committed, before it sent anything.
    await server.app.close();
    expect(receiver.received).toHaveLength(0);
    expect(await notices(server)).toMatchObject([{ status: 'pending', attempts: 0 }]);

    const next = await buildApp({ db: server.db, today: () => TODAY, fulfillment: { sweepMs: 0 } });
    server.app = next;
    await next.ready();
    await next.fulfillment.settle();
    expect(receiver.received.map((r) => r.verified)).toEqual([true]);
    expect(await notices(server)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });

  it('keeps a notice while its receiver is down, backing off, and delivers it once when it is back', async () => {
    const clock = new Clock();
    const { device } = await shopWithCallback(clock);
    receiver.status = () => 503;
    await pickPackShip(server, device, await shopifyOrder(server));
    await server.app.fulfillment.settle();
    expect(await notices(server)).toMatchObject([{ status: 'pending', attempts: 1, last_status: 503, last_error: 'HTTP 503: Service unavailable, try later' }]);

    // Not due again at once; then 30 s doubling (jitter 0.5 here: three quarters of each).
    expect(await server.app.fulfillment.runDue(clock.advance(1_000))).toEqual({ delivered: 0, failed: 0, cancelled: 0 });
    const waits: number[] = [];
    for (let attempt = 2; attempt <= 4; attempt++) {
      const [before] = await notices(server);
      waits.push(before!.next_attempt_at.getTime() - clock.at.getTime());
      clock.at = new Date(before!.next_attempt_at);
      expect(await server.app.fulfillment.runDue(clock.now())).toEqual({ delivered: 0, failed: 1, cancelled: 0 });
    }
    expect(waits).toEqual([21_500, 45_000, 90_000]);

    receiver.status = () => 200;
    expect(await server.app.fulfillment.runDue(clock.advance(MAX_RETRY_MS))).toEqual({ delivered: 1, failed: 0, cancelled: 0 });
    expect(await server.app.fulfillment.runDue(clock.advance(MAX_RETRY_MS))).toEqual({ delivered: 0, failed: 0, cancelled: 0 });
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((r) => r.headers['idempotency-key']))).toHaveLength(1);
    expect(receiver.fulfillments.size).toBe(1);
    expect(await notices(server)).toMatchObject([{ status: 'delivered', attempts: 5, last_status: 200, last_error: null }]);
  });

  it('retries a receiver that refuses the notice (a 4xx) an hour apart, and never gives up', async () => {
    const clock = new Clock();
    const { device } = await shopWithCallback(clock);
    receiver.status = () => 404;
    await pickPackShip(server, device, await shopifyOrder(server));
    await server.app.fulfillment.settle();
    const [refused] = await notices(server);
    expect(refused).toMatchObject({ status: 'pending', last_status: 404 });
    expect(refused!.next_attempt_at.getTime() - clock.at.getTime()).toBe(0.75 * MAX_RETRY_MS);
    receiver.status = () => 200;
    expect(await server.app.fulfillment.runDue(clock.advance(MAX_RETRY_MS))).toMatchObject({ delivered: 1 });
  });

  it('sends a notice again with the same Idempotency-Key when its acknowledgement was lost, and the store counts it once', async () => {
    const clock = new Clock();
    let crashes = 1;
    // The receiver takes the notice and answers 200, and the server "dies" before it records that.
    const crashingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      await response.text();
      if (crashes-- > 0) throw new Error('the server stopped before recording the answer');
      return response;
    };
    const { device } = await shopWithCallback(clock, { fetch: crashingFetch });
    await pickPackShip(server, device, await shopifyOrder(server));
    await server.app.fulfillment.settle();
    expect(await notices(server)).toMatchObject([{ status: 'pending', attempts: 1, last_status: null }]);
    expect(await server.app.fulfillment.runDue(clock.advance(MAX_RETRY_MS))).toMatchObject({ delivered: 1 });

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([receiver.received[0]!.headers['idempotency-key'], receiver.received[0]!.headers['idempotency-key']]);
    expect(receiver.received[1]!.raw.equals(receiver.received[0]!.raw)).toBe(true);
    expect(receiver.fulfillments.size).toBe(1);
  });

  it('leaves a notice claimed by a server that stopped mid-send until its lease ends, then sends it', async () => {
    const clock = new Clock();
    const { device } = await shopWithCallback(clock);
    await pickPackShip(server, device, await shopifyOrder(server));
    // As a server that claimed it and stopped would leave it.
    await server.db.query('update fulfillment_notices set attempts = 1, next_attempt_at = $1::timestamptz', [new Date(clock.at.getTime() + LEASE_MS).toISOString()]);
    expect(await server.app.fulfillment.runDue(clock.advance(LEASE_MS - 1_000))).toMatchObject({ delivered: 0 });
    expect(await server.app.fulfillment.runDue(clock.advance(1_000))).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(1);
  });

  it('sends each notice once when two API servers send at the same time', async () => {
    const clock = new Clock();
    const { integrationId } = await shopWithCallback(clock);
    // Twenty-five notices waiting (as if twenty-five orders had shipped), the payloads alike.
    await server.db.query(
      `insert into fulfillment_notices (owner_id, order_id, integration_id, idempotency_key, payload)
       select 'own-b', $1, $2, 'shipment:test-' || n, '{"order_id": "1"}'::jsonb from generate_series(1, 25) n`,
      [FIXTURE_ORDER_B, integrationId],
    );
    const other = await secondServer(server, { fulfillment: { background: false, now: clock.now } });
    const passes = await Promise.all([server.app.fulfillment.runDue(clock.now()), other.fulfillment.runDue(clock.now())]);
    expect(passes.reduce((sum, pass) => sum + pass.delivered, 0)).toBe(25);
    expect(receiver.received).toHaveLength(25);
    expect(new Set(receiver.received.map((r) => r.headers['idempotency-key'])).size).toBe(25);
  });

  it('writes no notice for an order without an integration, an integration without a callback, or a refused ship', async () => {
    const clock = new Clock();
    const { admin, integrationId, device } = await shopWithCallback(clock);
    // The fixture's order of owner B came in through no integration.
    await pickPackShip(server, device, FIXTURE_ORDER_B);
    const refused = await push(server.app, device, [mutation(5, 'ship', { orderId: FIXTURE_ORDER_B, carrier: 'UPS', trackingNumber: TRACKING[1] })]);
    expect(refused.body.results[0]).toMatchObject({ status: 'rejected' });
    expect((await setCallback(server, admin, integrationId, null)).body).toEqual({ integrationId, url: null, signedWith: null });
    await pickPackShip(server, device, await shopifyOrder(server), 6, TRACKING[1]);
    await server.app.fulfillment.settle();
    expect(await notices(server)).toEqual([]);
    expect(receiver.received).toHaveLength(0);
  });

  it('shows supervisors the notices of their owners undelivered for over an hour, with the last error', async () => {
    const clock = new Clock();
    const { device } = await shopWithCallback(clock);
    receiver.status = () => 500;
    const orderId = await shopifyOrder(server);
    await pickPackShip(server, device, orderId);
    await server.app.fulfillment.settle();

    const list = async (user: Headers, state = 'failing') => {
      const response = await server.app.inject({ method: 'GET', url: `/api/supervisor/fulfillment-notices?state=${state}`, headers: user });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ notices: Record<string, unknown>[] }>().notices;
    };
    const supervisor = await server.signIn('supervisor', '2222');
    expect(await list(supervisor)).toEqual([]);
    expect(await list(supervisor, 'pending')).toHaveLength(1);
    await server.db.query(`update fulfillment_notices set created_at = now() - interval '61 minutes'`);
    expect(await list(supervisor)).toMatchObject([{
      orderId, orderNumber: '#1001', integrationName: 'Beta web store', attempts: 1, lastStatus: 500, lastError: 'HTTP 500: Service unavailable, try later',
    }]);
    // A supervisor of owner A alone does not see owner B's; an operator may not look.
    expect(await list(await server.signIn('acme-sup', '4444'))).toEqual([]);
    const operator = await server.app.inject({ method: 'GET', url: '/api/supervisor/fulfillment-notices', headers: await server.signIn('operator', '1111') });
    expect(operator.statusCode).toBe(403);
  });

  it('takes only an https callback (or http to this machine), within the admin’s owners; clearing it cancels what waits', async () => {
    const clock = new Clock();
    const { admin, integrationId, url, device } = await shopWithCallback(clock);
    for (const bad of ['http://shop.example.com/hook', 'ftp://shop.example.com/hook', 'https://user:pw@shop.example.com/hook', 'not a url', 'https://shop.example.com/#x']) {
      const answer = await setCallback(server, admin, integrationId, bad);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.message).toMatch(/callback URL/);
    }
    expect((await setCallback(server, admin, integrationId, url, { newSigningSecret: true })).status).toBe(400);
    const canonical = await setCallback(server, admin, integrationId, 'https://Shop.Example.com/hooks/fulfillment');
    expect(canonical.body.url).toBe('https://shop.example.com/hooks/fulfillment');
    // Another owner's integration is not found; for nobody else either.
    const acmeAdmin = await server.signIn('acme-admin', '5555');
    expect((await setCallback(server, acmeAdmin, integrationId, url)).status).toBe(404);
    expect((await setCallback(server, admin, 'int-none', url)).status).toBe(404);

    receiver.status = () => 503;
    await setCallback(server, admin, integrationId, url);
    await pickPackShip(server, device, await shopifyOrder(server));
    await server.app.fulfillment.settle();
    await setCallback(server, admin, integrationId, null);
    expect(await notices(server)).toMatchObject([{ status: 'cancelled', last_error: 'The callback was cleared.' }]);

    await server.app.inject({ method: 'POST', url: `/api/admin/integrations/${integrationId}/revoke`, headers: admin });
    expect((await setCallback(server, admin, integrationId, url)).status).toBe(409);
  });
});
