// The HTTP boundary: every /api route authenticates before it parses (enumerated from the app, so a
// new route is covered the day it is added), security headers on the app shell and the API, and
// text PostgreSQL cannot store refused as a 400 naming the field — on PGlite and, when set, PostgreSQL.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { DOCS_PREFIX } from '../../server/http-security';
import { loadWarehouse } from '../../server/seed/load';
import { BACKENDS, checkAndCloseAfterEach, openTestDb, startTestServer, type TestServer } from './harness';
import { fixtureWarehouse, TODAY } from './fixture';

/** The only routes open to callers who are not signed in, besides the docs under DOCS_PREFIX. */
// The Shopify webhook is signed, not signed in: its HMAC is checked before the body is parsed.
const PUBLIC_ROUTES = ['POST /api/session', 'GET /api/health', 'HEAD /api/health', 'POST /api/webhooks/shopify'];

/** A concrete URL for a route pattern: every parameter and wildcard filled in. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');

/** A request no route could accept: a broken JSON body and querystring values of every wrong kind. */
function malformed(method: string, url: string) {
  const query = '?limit=-1&cursor=%00&mutationId=no&resultsAfter=x&extra=1';
  const withBody = !['GET', 'HEAD'].includes(method);
  return {
    method: method as 'GET',
    url: `${concrete(url)}${query}`,
    ...(withBody ? { payload: '{"username": 7, "mutations": [', headers: { 'content-type': 'application/json' } } : {}),
  };
}

describe.each(BACKENDS)('HTTP boundary on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('answers 401 before parsing on every route that is not public, and opens exactly the intended ones', async () => {
    server = await startTestServer(backend);
    const routes = server.app.routeTable().filter((route) => route.url.startsWith('/api/'));
    const isDocs = (url: string) => url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`);

    const open = routes.filter((route) => route.public);
    expect(open.filter((route) => !isDocs(route.url)).map((route) => `${route.method} ${route.url}`).sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(routes.filter((route) => isDocs(route.url)).every((route) => route.public)).toBe(true);

    const guarded = routes.filter((route) => !route.public);
    expect(guarded.length).toBeGreaterThan(5);
    const admin = await server.signIn('admin', '9999');
    for (const route of guarded) {
      const label = `${route.method} ${route.url}`;
      const anonymous = await server.app.inject(malformed(route.method, route.url));
      expect(anonymous.statusCode, `${label}: ${anonymous.body}`).toBe(401);
      expect(anonymous.body, label).not.toMatch(/body\/|querystring\/|Expected|Invalid/);
      const forged = await server.app.inject({ ...malformed(route.method, route.url), headers: { ...malformed(route.method, route.url).headers, authorization: 'Bearer not-a-session' } });
      expect(forged.statusCode, label).toBe(401);
    }

    // The same malformed requests do reach parsing for a signed-in caller: the 401s above came first.
    const push = await server.app.inject({ ...malformed('POST', '/api/sync/push'), headers: { 'content-type': 'application/json', authorization: admin.authorization } });
    expect(push.statusCode).toBe(400);
    const pull = await server.app.inject({ ...malformed('GET', '/api/sync/pull'), headers: admin });
    expect(pull.statusCode).toBe(400);
  });

  it('checks the role before parsing: an operator gets 403 from supervisor and admin routes, never a schema error', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const restricted = [
      'POST /api/admin/users',
      'POST /api/admin/users/:username/unlock',
      'PUT /api/admin/users/:id/owners',
      'POST /api/supervisor/pick-lists/:id/cancel',
      'PUT /api/supervisor/pick-lists/:id/assignee',
      'GET /api/supervisor/overview',
      'GET /api/admin/printers',
      'PUT /api/admin/printers/:code',
      'DELETE /api/admin/printers/:code',
      'GET /api/admin/users',
      'PUT /api/admin/users/:id/pin',
      'PUT /api/admin/users/:id/active',
      'GET /api/admin/owners',
      'POST /api/admin/owners',
      'PUT /api/admin/owners/:id',
      'GET /api/admin/devices',
      'POST /api/admin/devices/:id/revoke',
      'GET /api/admin/carton-types',
      'PUT /api/admin/carton-types/:id',
      'DELETE /api/admin/carton-types/:id',
    ];
    const known = new Set(server.app.routeTable().map((route) => `${route.method} ${route.url}`));
    for (const label of restricted) {
      expect(known.has(label), label).toBe(true);
      const [method, url] = label.split(' ') as [string, string];
      const request = malformed(method, url);
      const answer = await server.app.inject({ ...request, headers: { ...request.headers, authorization: operator.authorization } });
      expect(answer.statusCode, `${label}: ${answer.body}`).toBe(403);
      expect(answer.body, label).not.toMatch(/body\/|querystring\/|params\//);
    }
  });

  it('sets security headers on API answers: no caching, no framing, no sniffing, no referrer, no HSTS over plain HTTP', async () => {
    server = await startTestServer(backend);
    const signIn = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '1111', deviceId: 'device-headers-1' } });
    expect(signIn.statusCode).toBe(200);
    const session = await server.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${signIn.json<{ token: string }>().token}` } });
    const refused = await server.app.inject({ method: 'GET', url: '/api/sync/pull' });
    for (const [label, response] of [['sign-in', signIn], ['session', session], ['401', refused]] as const) {
      expect(response.headers['cache-control'], label).toBe('no-store');
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
      expect(response.headers['x-frame-options'], label).toBe('DENY');
      expect(response.headers['referrer-policy'], label).toBe('no-referrer');
      expect(String(response.headers['content-security-policy']), label).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security'], label).toBeUndefined();
    }
  });

  it('serves the API docs to anyone, under a CSP of their own', async () => {
    server = await startTestServer(backend);
    const page = await server.app.inject({ method: 'GET', url: `${DOCS_PREFIX}/` });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    const description = await server.app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` });
    expect(description.statusCode).toBe(200);
    expect(Object.keys(description.json<{ paths: object }>().paths)).toContain('/api/sync/push');
  });

  it('refuses NUL and broken Unicode in bodies, querystrings and params with a 400 naming the field', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const cases = [
      { request: { method: 'POST' as const, url: '/api/session', payload: { username: 'oper\u0000ator', pin: '1111', deviceId: 'device-nul-0001' } }, field: 'body/username' },
      { request: { method: 'POST' as const, url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"username":"operator","pin":"1111","deviceId":"dev-\\ud800-0001"}' }, field: 'body/deviceId' },
      { request: { method: 'GET' as const, url: '/api/sync/pull?cursor=%00', headers: device }, field: 'querystring/cursor' },
      { request: { method: 'GET' as const, url: '/api/sync/pull?cursor=%ED%A0%80', headers: device }, field: 'querystring/cursor' },
    ];
    for (const { request, field } of cases) {
      const response = await server.app.inject(request);
      expect(response.statusCode, `${request.url} ${response.body}`).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(field);
    }

    // Path parameters too, on every route that has one (as an admin, so no role check answers first).
    const admin = await server.signIn('admin', '9999');
    // HEAD answers carry no body to name the field in: their GET twins are checked.
    const withParams = server.app.routeTable().filter((route) => route.url.startsWith('/api/') && !route.public && route.url.includes('/:') && route.method !== 'HEAD');
    expect(withParams.length).toBeGreaterThan(0);
    for (const route of withParams) {
      const name = /\/:([A-Za-z]+)/.exec(route.url)![1]!;
      const url = route.url.replace(`:${name}`, 'bad%00id').replace(/:[A-Za-z]+/g, 'x');
      const response = await server.app.inject({ method: route.method, url, headers: admin, ...(route.method === 'GET' ? {} : { payload: {} }) });
      expect(response.statusCode, `${route.method} ${url} ${response.body}`).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(`params/${name}`);
    }
  });
});

describe.each(BACKENDS)('app shell headers on %s', (backend) => {
  let app: FastifyInstance | undefined;
  let staticDir: string | undefined;
  afterEach(async () => {
    await app?.close();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  async function shellApp(trustProxy: false | string[] = false): Promise<FastifyInstance> {
    const db = await openTestDb(backend);
    await loadWarehouse(db, fixtureWarehouse());
    staticDir = mkdtempSync(join(tmpdir(), 'dockhand-shell-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Dockhand</title><script type="module" src="/assets/index.js"></script>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'decode-worker.js'), 'self.onmessage = () => {};');
    return buildApp({ db, today: () => TODAY, staticDir, trustProxy });
  }

  it('lets the shell, its workers and the decoder run under a self-only CSP', async () => {
    app = await shellApp();
    const shell = await app.inject({ method: 'GET', url: '/' });
    expect(shell.statusCode).toBe(200);
    const worker = await app.inject({ method: 'GET', url: '/assets/decode-worker.js' });
    for (const [label, response] of [['shell', shell], ['worker', worker]] as const) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp, label).toContain("default-src 'self'");
      expect(csp, label).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp, label).toContain("worker-src 'self'");
      expect(csp, label).toContain("img-src 'self' blob:");
      expect(csp, label).toContain("frame-ancestors 'none'");
      expect(csp, label).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
      expect(response.headers['x-frame-options'], label).toBe('DENY');
    }
    // The shell is revalidated, not stored away from the user's data rules: it holds none.
    expect(shell.headers['cache-control']).toBe('no-cache');
  });

  it('sends HSTS only to a request that came over TLS', async () => {
    app = await shellApp(['127.0.0.1']);
    const plain = await app.inject({ method: 'GET', url: '/api/health' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const tls = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains$/);
  });
});
