// Integrations (issue 13) through the real server, on PGlite and, when set, PostgreSQL: admins
// create, list, rotate and revoke them within their owners; API keys are shown once and stored
// hashed, Shopify secrets sealed; the guard admits a key only where a route takes one; the CLI.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { main as integrationCli } from '../../server/integration-cli';
import { authenticateApiKey } from '../../server/integrations/api-keys';
import { verifyShopifyWebhook } from '../../server/integrations/shopify-webhook';
import { setSecretsKey } from '../../server/integrations/secret-box';
import type { Db } from '../../server/db/index';
import { ApiError } from '../../server/routes/errors';
import { authenticateApi, callerScope, requireCaller, requireUser } from '../../server/routes/guard';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { fixtureWarehouse } from './fixture';

type Headers = { authorization: string };
interface Issued {
  integration: { id: string; ownerId: string; name: string; type: string; shopDomain: string | null; revokedAt: string | null; credentials: { id: string; expiresAt: string | null }[] };
  apiKey?: string;
}

const SHOP = 'acme-coffee.myshopify.com';
const SHOP_SECRET = 'shpss_0123456789abcdef0123456789abcdef';

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('base64');
/** A webhook body as Shopify sends it: JSON bytes with a 64-bit order id and non-ASCII text. */
const orderBody = () => Buffer.from('{"id":820982911946154508,"note":"Kaffeebohnen – grün ☕","line_items":[{"sku":"ACME-ESP","quantity":2}]}', 'utf8');

async function create(server: TestServer, headers: Headers, payload: Record<string, unknown>) {
  return server.app.inject({ method: 'POST', url: '/api/admin/integrations', headers, payload });
}

async function list(server: TestServer, headers: Headers, query = '') {
  return server.app.inject({ method: 'GET', url: `/api/admin/integrations${query}`, headers });
}

async function rotate(server: TestServer, headers: Headers, id: string, payload?: Record<string, unknown>) {
  return server.app.inject({ method: 'POST', url: `/api/admin/integrations/${id}/rotate`, headers, ...(payload ? { payload } : {}) });
}

async function revoke(server: TestServer, headers: Headers, id: string) {
  return server.app.inject({ method: 'POST', url: `/api/admin/integrations/${id}/revoke`, headers });
}

/** Makes every secret of `integrationId` that is in a rotation window end in the past. */
async function endWindows(db: Db, integrationId: string) {
  await db.query(`update integration_secrets set expires_at = now() - interval '1 second' where integration_id = $1 and expires_at is not null`, [integrationId]);
}

/**
 * A tiny app built from the real guard: one route integrations may call (`apiKey: true`), one for
 * users only. Each answers the caller's scope.
 */
async function guardApp(db: Db) {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ApiError) return reply.code(error.statusCode).send(error.body);
    return reply.code(500).send({ error: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  });
  app.addHook('onRequest', authenticateApi(db));
  app.get('/api/orders-feed', { config: { apiKey: true }, onRequest: requireCaller(db, { roles: ['supervisor', 'admin'] }) }, async (request) => callerScope(request));
  app.get('/api/users-only', { onRequest: requireUser(db, ['admin']) }, async (request) => callerScope(request));
  // Outside /api the app-wide hook signs nobody in: requireCaller does it itself.
  app.get('/hooks/orders-feed', { config: { apiKey: true }, onRequest: requireCaller(db, { roles: ['admin'] }) }, async (request) => callerScope(request));
  await app.ready();
  return app;
}

describe.each(BACKENDS)('integrations on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('creates an api integration with a key shown once, stored only as its SHA-256, and lists it without secrets', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const created = await create(server, admin, { owner: 'acme', name: 'Orders API', type: 'api' });
    expect(created.statusCode, created.body).toBe(201);
    const { integration, apiKey } = created.json<Issued>();
    expect(integration).toMatchObject({ ownerId: 'own-a', name: 'Orders API', type: 'api', shopDomain: null, revokedAt: null });
    expect(apiKey).toMatch(/^dhk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    // dhk_ + the 16-hex key id + _: what follows is the secret.
    const secret = apiKey!.slice(21);

    const listed = await list(server, admin);
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ integrations: Issued['integration'][] }>().integrations.map((i) => i.id)).toEqual([integration.id]);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain(sha256Hex(apiKey!));
    expect(listed.body).not.toMatch(/apiKey|key_hash|keyHash/);
    expect((await list(server, admin, '?owner=own-a')).json<{ integrations: unknown[] }>().integrations).toHaveLength(1);
    expect((await list(server, admin, '?owner=BETA')).json<{ integrations: unknown[] }>().integrations).toHaveLength(0);
    const unknown = await list(server, admin, '?owner=NOPE');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ message: string }>().message).toContain('owner');

    // Nowhere in the database in clear: only the hash of the whole key.
    const { rows } = await server.db.query<Record<string, unknown>>('select * from integration_secrets');
    expect(rows).toHaveLength(1);
    expect(rows[0]!['key_hash']).toBe(sha256Hex(apiKey!));
    expect(rows[0]!['sealed_secret']).toBeNull();
    const everything = JSON.stringify((await server.db.query('select * from integrations')).rows) + JSON.stringify(rows);
    expect(everything).not.toContain(secret);

    expect(await authenticateApiKey(server.db, apiKey!)).toEqual({ id: integration.id, ownerId: 'own-a', name: 'Orders API' });
  });

  it('refuses an API key on routes that take none: /api/sync/pull and the admin routes are 401, never a session', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const { apiKey } = (await create(server, admin, { owner: 'ACME', name: 'Orders API', type: 'api' })).json<Issued>();
    for (const headers of [{ authorization: `Bearer ${apiKey}` }, { 'x-api-key': apiKey! }]) {
      const pull = await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers });
      expect(pull.statusCode, pull.body).toBe(401);
      const push = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { deviceId: 'dev-x', mutations: [] } });
      expect(push.statusCode).toBe(401);
      const adminList = await list(server, headers as unknown as Headers);
      expect(adminList.statusCode).toBe(401);
      expect(adminList.json<{ message: string }>().message).toContain('API key');
    }
    // A session beside an X-Api-Key header is not a session either.
    const both = await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...admin, 'x-api-key': apiKey! } });
    expect(both.statusCode).toBe(401);
  });

  it('rotates an api key: the old one works inside the window and stops after it; revoking ends every key', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const { integration, apiKey: first } = (await create(server, admin, { owner: 'own-a', name: 'Orders API', type: 'api' })).json<Issued>();
    const app = await guardApp(server.db);
    const call = (key: string) => app.inject({ method: 'GET', url: '/api/orders-feed', headers: { authorization: `Bearer ${key}` } });

    const rotated = await rotate(server, admin, integration.id, { graceHours: 24 });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const second = rotated.json<Issued>().apiKey!;
    expect(second).toMatch(/^dhk_/);
    expect(second).not.toBe(first);
    const credentials = rotated.json<Issued>().integration.credentials;
    expect(credentials).toHaveLength(2);
    const window = credentials.find((c) => c.expiresAt !== null)!;
    const hours = (Date.parse(window.expiresAt!) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect((await call(first!)).statusCode).toBe(200);
    expect((await call(second)).statusCode).toBe(200);

    await endWindows(server.db, integration.id);
    expect((await call(first!)).statusCode).toBe(401);
    expect((await call(second)).statusCode).toBe(200);

    // No body: the default window. A third key; the second keeps working meanwhile.
    const third = (await rotate(server, admin, integration.id)).json<Issued>().apiKey!;
    expect(third).toMatch(/^dhk_/);
    expect((await call(second)).statusCode).toBe(200);
    // A rotation with no window ends every earlier key at once (a leaked key).
    const fourth = (await rotate(server, admin, integration.id, { graceHours: 0 })).json<Issued>().apiKey!;
    for (const key of [first!, second, third]) expect((await call(key)).statusCode).toBe(401);
    expect((await call(fourth)).statusCode).toBe(200);
    const { rows } = await server.db.query('select id from integration_secrets where integration_id = $1', [integration.id]);
    expect(rows).toHaveLength(1);

    const revoked = await revoke(server, admin, integration.id);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<{ integration: Issued['integration'] }>().integration).toMatchObject({ revokedAt: expect.any(String), credentials: [] });
    const refused = await call(fourth);
    expect(refused.statusCode).toBe(401);
    expect(refused.json<{ message: string }>().message).toContain('revoked');
    expect((await revoke(server, admin, integration.id)).statusCode).toBe(200);
    expect((await rotate(server, admin, integration.id)).json()).toMatchObject({ error: 'INTEGRATION_REVOKED' });
    expect((await rotate(server, admin, integration.id, { graceHours: 169 })).statusCode).toBe(400);
    await app.close();
  });

  it('admits an API key only on routes that take one, acting for its own owner: requireCaller and callerScope', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('operator', '1111');
    const supervisor = await server.signIn('supervisor', '2222');
    const { integration, apiKey } = (await create(server, admin, { owner: 'ACME', name: 'Orders API', type: 'api' })).json<Issued>();
    const app = await guardApp(server.db);
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    const keyScope = { ownerIds: ['own-a'], userId: null, integrationId: integration.id, label: `integration:${integration.id}` };
    const keyHeaders: Record<string, string>[] = [{ authorization: `Bearer ${apiKey}` }, { 'x-api-key': apiKey! }];
    for (const headers of keyHeaders) {
      const answer = await get('/api/orders-feed', headers);
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toEqual(keyScope);
      expect((await get('/hooks/orders-feed', headers)).json()).toEqual(keyScope);
      expect((await get('/api/users-only', headers)).statusCode).toBe(401);
    }
    const asSupervisor = await get('/api/orders-feed', supervisor);
    expect(asSupervisor.statusCode).toBe(200);
    expect(asSupervisor.json()).toMatchObject({ ownerIds: null, integrationId: null, label: 'supervisor', userId: expect.stringMatching(/^usr-/) });
    expect((await get('/api/orders-feed', operator)).statusCode).toBe(403);
    expect((await get('/hooks/orders-feed', admin)).statusCode).toBe(200);
    expect((await get('/api/orders-feed')).statusCode).toBe(401);
    expect((await get('/hooks/orders-feed')).statusCode).toBe(401);
    // Forged, altered, empty and doubled keys.
    const altered = `${apiKey!.slice(0, -1)}${apiKey!.endsWith('A') ? 'B' : 'A'}`;
    const forged: Record<string, string>[] = [{ authorization: `Bearer ${altered}` }, { 'x-api-key': 'dhk_nope' }, { 'x-api-key': '' }, { 'x-api-key': apiKey!, ...admin }];
    for (const headers of forged) {
      expect((await get('/api/orders-feed', headers)).statusCode, JSON.stringify(headers)).toBe(401);
    }
    await revoke(server, admin, integration.id);
    expect((await get('/api/orders-feed', { 'x-api-key': apiKey! })).statusCode).toBe(401);
    await app.close();
  });

  it('is for admins only, and hides another owner’s integrations as "not found"', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const supervisor = await server.signIn('supervisor', '2222');
    const { integration } = (await create(server, admin, { owner: 'ACME', name: 'Acme secret name', type: 'api' })).json<Issued>();

    expect((await create(server, supervisor, { owner: 'ACME', name: 'x', type: 'api' })).statusCode).toBe(403);
    expect((await list(server, supervisor)).statusCode).toBe(403);
    expect((await rotate(server, supervisor, integration.id)).statusCode).toBe(403);
    expect((await revoke(server, supervisor, integration.id)).statusCode).toBe(403);

    const betaAdmin = await server.app.inject({
      method: 'POST', url: '/api/admin/users', headers: admin,
      payload: { username: 'betaadmin', displayName: 'Beta Admin', pin: '5555', role: 'admin', ownerIds: ['own-b'] },
    });
    expect(betaAdmin.statusCode, betaAdmin.body).toBe(201);
    const beta = await server.signIn('betaadmin', '5555');
    const listed = await list(server, beta);
    expect(listed.json()).toEqual({ integrations: [] });
    expect((await list(server, beta, '?owner=ACME')).statusCode).toBe(400);
    for (const answer of [await rotate(server, beta, integration.id), await revoke(server, beta, integration.id), await rotate(server, beta, 'int-nobody')]) {
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toEqual({ error: 'NOT_FOUND', message: 'Integration not found.' });
    }
    const elsewhere = await create(server, beta, { owner: 'own-a', name: 'x', type: 'api' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json<{ message: string }>().message).toContain('owner');
    expect((await create(server, beta, { owner: 'BETA', name: 'Beta API', type: 'api' })).statusCode).toBe(201);
    expect((await list(server, beta)).json<{ integrations: { ownerId: string }[] }>().integrations.map((i) => i.ownerId)).toEqual(['own-b']);
    // Untouched by the refusals.
    const { rows } = await server.db.query<{ revoked_at: unknown }>('select revoked_at from integrations where id = $1', [integration.id]);
    expect(rows[0]!.revoked_at).toBeNull();
  });

  it('connects a Shopify shop: the domain lower-cased, one live integration per shop, the secret sealed', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const created = await create(server, admin, { owner: 'ACME', name: 'Acme store', type: 'shopify', shopDomain: ' Acme-Coffee.MyShopify.com ', webhookSecret: SHOP_SECRET });
    expect(created.statusCode, created.body).toBe(201);
    const issued = created.json<Issued>();
    expect(issued.apiKey).toBeUndefined();
    expect(issued.integration).toMatchObject({ type: 'shopify', shopDomain: SHOP, ownerId: 'own-a' });

    const { rows } = await server.db.query<{ sealed_secret: string | null; key_hash: string | null }>('select sealed_secret, key_hash from integration_secrets');
    expect(rows[0]!.key_hash).toBeNull();
    expect(rows[0]!.sealed_secret).toMatch(/^v1\./);
    const dump = JSON.stringify(rows) + (await list(server, admin)).body;
    expect(dump).not.toContain(SHOP_SECRET);
    expect(dump).not.toContain(Buffer.from(SHOP_SECRET).toString('base64'));

    const again = await create(server, admin, { owner: 'BETA', name: 'Same shop', type: 'shopify', shopDomain: SHOP.toUpperCase(), webhookSecret: 'another-secret-123' });
    expect(again.statusCode).toBe(409);
    expect(again.body).not.toContain('own-a');

    const refusals: [Record<string, unknown>, string][] = [
      [{ owner: 'ACME', name: 's', type: 'shopify', shopDomain: 'https://x.myshopify.com/', webhookSecret: SHOP_SECRET }, 'body/shopDomain'],
      [{ owner: 'ACME', name: 's', type: 'shopify', shopDomain: '10.0.0.1', webhookSecret: SHOP_SECRET }, 'body/shopDomain'],
      [{ owner: 'ACME', name: 's', type: 'shopify', webhookSecret: SHOP_SECRET }, 'body/shopDomain'],
      [{ owner: 'ACME', name: 's', type: 'shopify', shopDomain: 'other.myshopify.com' }, 'body/webhookSecret'],
      [{ owner: 'ACME', name: 's', type: 'api', shopDomain: 'other.myshopify.com' }, 'body/shopDomain'],
      [{ owner: 'ACME', name: '', type: 'api' }, 'body/name'],
      [{ owner: 'ACME', name: 's', type: 'ftp' }, 'body/type'],
    ];
    for (const [payload, field] of refusals) {
      const answer = await create(server, admin, payload);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.json<{ message: string }>().message).toContain(field);
    }
    const noSecret = await rotate(server, admin, issued.integration.id, { graceHours: 1 });
    expect(noSecret.statusCode).toBe(400);
    expect(noSecret.json<{ message: string }>().message).toContain('webhookSecret');

    // Revoked, the shop can be connected again (to the right owner this time).
    await revoke(server, admin, issued.integration.id);
    expect((await create(server, admin, { owner: 'BETA', name: 'Moved shop', type: 'shopify', shopDomain: SHOP, webhookSecret: 'another-secret-123' })).statusCode).toBe(201);
  });

  it('verifies Shopify webhooks by HMAC over the raw bytes, through rotation and revocation', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const { integration } = (await create(server, admin, { owner: 'ACME', name: 'Acme store', type: 'shopify', shopDomain: SHOP, webhookSecret: SHOP_SECRET })).json<Issued>();
    const body = orderBody();
    const verify = (secret: string, options: { rawBody?: Buffer; shopDomain?: string; now?: Date; hmacBase64?: string } = {}) =>
      verifyShopifyWebhook(server.db, { shopDomain: options.shopDomain ?? SHOP, rawBody: options.rawBody ?? body, hmacBase64: options.hmacBase64 ?? hmac(secret, body), ...(options.now ? { now: options.now } : {}) });
    const match = { integrationId: integration.id, ownerId: 'own-a' };

    expect(await verify(SHOP_SECRET)).toEqual(match);
    expect(await verify(SHOP_SECRET, { shopDomain: 'ACME-COFFEE.myshopify.com' })).toEqual(match);
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] = tampered.at(-3)! ^ 1;
    expect(await verify(SHOP_SECRET, { rawBody: tampered })).toBeNull();
    expect(await verify('not-the-secret-at-all')).toBeNull();
    expect(await verify(SHOP_SECRET, { shopDomain: 'unknown-shop.myshopify.com' })).toBeNull();
    expect(await verify(SHOP_SECRET, { shopDomain: 'not a domain' })).toBeNull();
    expect(await verify(SHOP_SECRET, { hmacBase64: 'short' })).toBeNull();
    expect(await verify(SHOP_SECRET, { hmacBase64: hmac(SHOP_SECRET, body).slice(0, -2) })).toBeNull();

    const newSecret = randomBytes(32).toString('hex');
    const rotated = await rotate(server, admin, integration.id, { graceHours: 24, webhookSecret: newSecret });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json<Issued>().apiKey).toBeUndefined();
    expect(await verify(newSecret)).toEqual(match);
    expect(await verify(SHOP_SECRET)).toEqual(match);
    const inWindow = new Date(Date.now() + 23 * 3_600_000);
    const afterWindow = new Date(Date.now() + 25 * 3_600_000);
    expect(await verify(SHOP_SECRET, { now: inWindow })).toEqual(match);
    expect(await verify(SHOP_SECRET, { now: afterWindow })).toBeNull();
    expect(await verify(newSecret, { now: afterWindow })).toEqual(match);

    expect((await revoke(server, admin, integration.id)).statusCode).toBe(200);
    expect(await verify(newSecret)).toBeNull();
    expect(await verify(SHOP_SECRET)).toBeNull();
  });

  it('seals with SECRETS_KEY when set and keeps no key in the database; without it, keeps one', async () => {
    const secretsKey = randomBytes(32);
    const keyed = await startTestServer(backend, fixtureWarehouse(), { secretsKey });
    server = keyed;
    const signedIn = await keyed.signIn('admin', '9999');
    const created = await create(keyed, signedIn, { owner: 'BETA', name: 'Beta shop', type: 'shopify', shopDomain: SHOP, webhookSecret: SHOP_SECRET });
    expect(created.statusCode, created.body).toBe(201);
    expect((await keyed.db.query('select 1 from server_keys')).rows).toHaveLength(0);
    const body = orderBody();
    const verify = () => verifyShopifyWebhook(keyed.db, { shopDomain: SHOP, rawBody: body, hmacBase64: hmac(SHOP_SECRET, body) });
    expect(await verify()).toMatchObject({ ownerId: 'own-b' });
    // Another key opens nothing.
    setSecretsKey(keyed.db, randomBytes(32));
    expect(await verify()).toBeNull();
    setSecretsKey(keyed.db, undefined);
    await create(keyed, signedIn, { owner: 'ACME', name: 'Acme store', type: 'shopify', shopDomain: 'acme.myshopify.com', webhookSecret: SHOP_SECRET });
    expect((await keyed.db.query('select 1 from server_keys')).rows).toHaveLength(1);
  });

  it('opens secrets sealed before SECRETS_KEY was set with the key the database kept', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    await create(server, admin, { owner: 'ACME', name: 'Acme store', type: 'shopify', shopDomain: SHOP, webhookSecret: SHOP_SECRET });
    setSecretsKey(server.db, randomBytes(32));
    const body = orderBody();
    expect(await verifyShopifyWebhook(server.db, { shopDomain: SHOP, rawBody: body, hmacBase64: hmac(SHOP_SECRET, body) })).toMatchObject({ ownerId: 'own-a' });
  });

  it('creates integrations from the command line; bad arguments exit 2 and create nothing', async () => {
    server = await startTestServer(backend);
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await integrationCli(argv, { db: server.db, env: {}, out: (line) => out.push(line), err: (line) => err.push(line) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const count = async () => (await server.db.query<{ n: number }>('select count(*)::int as n from integrations')).rows[0]!.n;

    const made = await run(['--owner', 'ACME', '--type', 'api', '--name', 'Orders API']);
    expect(made.code, made.err).toBe(0);
    const key = /dhk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(made.out)?.[0];
    expect(key).toBeDefined();
    expect(made.out.split(key!)).toHaveLength(2);
    expect(made.out).toContain('Authorization: Bearer');
    expect(await authenticateApiKey(server.db, key!)).toMatchObject({ ownerId: 'own-a', name: 'Orders API' });

    const shop = await run(['--owner', 'own-b', '--type', 'shopify', '--shop', 'Beta.myshopify.com', '--secret', SHOP_SECRET]);
    expect(shop.code, shop.err).toBe(0);
    expect(shop.out).not.toContain('dhk_');
    const body = orderBody();
    expect(await verifyShopifyWebhook(server.db, { shopDomain: 'beta.myshopify.com', rawBody: body, hmacBase64: hmac(SHOP_SECRET, body) })).toMatchObject({ ownerId: 'own-b' });
    expect(await count()).toBe(2);

    const bad: [string[], string][] = [
      [[], '--owner'],
      [['--owner', 'ACME'], '--type'],
      [['--owner', 'ACME', '--type', 'ftp'], '--type'],
      [['--owner', 'ACME', '--type', 'shopify', '--secret', SHOP_SECRET], '--shop'],
      [['--owner', 'ACME', '--type', 'shopify', '--shop', 'x.myshopify.com'], '--secret'],
      [['--owner', 'ACME', '--type', 'shopify', '--shop', 'https://x.myshopify.com', '--secret', SHOP_SECRET], '--shop'],
      [['--owner', 'ACME', '--type', 'api', '--secret', SHOP_SECRET], '--secret'],
      [['--owner', 'ACME', '--type', 'api', '--bogus'], 'bogus'],
      [['--owner', 'NOBODY', '--type', 'api'], 'no owner NOBODY'],
    ];
    for (const [argv, says] of bad) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toContain(says);
      expect(result.out).toBe('');
    }
    const badKey = await integrationCli(['--owner', 'ACME', '--type', 'api'], { db: server.db, env: { SECRETS_KEY: 'too-short' }, out: () => undefined, err: () => undefined });
    expect(badKey).toBe(2);
    expect(await count()).toBe(2);

    const duplicate = await run(['--owner', 'ACME', '--type', 'shopify', '--shop', 'beta.myshopify.com', '--secret', SHOP_SECRET]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toContain('Nothing was created');
    expect(await count()).toBe(2);
  });
});
