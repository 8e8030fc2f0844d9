// GET /metrics: who may read it, what pushes, pulls, devices' reports and order intake add to it,
// one registry per app; and the push's log lines, which carry the device, the user and each
// rejection's mutation id and code, but never a mutation's args or a PIN.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingReportHeaders } from '../../src/domain/device-health';
import { mutation, pull, push } from './client';
import { BACKENDS, secondServer, startTestServer, type TestServer } from './harness';
import { fixtureWarehouse } from './fixture';

const METRICS_TOKEN = 'm'.repeat(20) + '0123456789abcdef';

/** The value of the sample `name{labels}` in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2] ? match[2].split(',') : [];
    if (wanted.length === present.length && wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe.each(BACKENDS)('metrics on %s', (backend) => {
  let server: TestServer;
  afterEach(async () => server.app.close());

  async function scrape(app = server.app): Promise<string> {
    const admin = await server.signIn('admin', '9999');
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: admin });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  }

  it('is read by an admin or with METRICS_TOKEN, refused to everyone else', async () => {
    server = await startTestServer(backend, fixtureWarehouse(), { metricsToken: METRICS_TOKEN });
    const get = (authorization?: string) => server.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await get()).statusCode).toBe(401);
    expect((await get(`Bearer ${METRICS_TOKEN}x`)).statusCode).toBe(401);
    expect((await get((await server.signIn('operator', '1111')).authorization)).statusCode).toBe(403);
    expect((await get((await server.signIn('supervisor', '2222')).authorization)).statusCode).toBe(403);
    expect((await get((await server.signIn('admin', '9999')).authorization)).statusCode).toBe(200);
    const scraper = await get(`Bearer ${METRICS_TOKEN}`);
    expect(scraper.statusCode).toBe(200);
    expect(scraper.headers['cache-control']).toBe('no-store');
    expect(scraper.body).toContain('# TYPE dockhand_sync_mutations_total counter');
  });

  it('counts pushes, decided mutations by type, status and code (not replays), push latency and pull pages', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const applied = mutation(1, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 2 });
    const rejected = mutation(2, 'move', { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-a01', qty: 50, suggestedLocationId: 'loc-a01' });
    const first = await push(server.app, operator, [applied, rejected]);
    expect(first.body.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    const code = first.body.results[1]!.code!;
    // The same batch again is answered from storage: a push, but no new decisions.
    expect((await push(server.app, operator, [applied, rejected])).status).toBe(200);
    expect((await pull(server.app, operator)).status).toBe(200);

    const text = await scrape();
    expect(sample(text, 'dockhand_sync_pushes_total', { status: '200' })).toBe(2);
    expect(sample(text, 'dockhand_sync_mutations_total', { type: 'receive', status: 'applied', code: '' })).toBe(1);
    expect(sample(text, 'dockhand_sync_mutations_total', { type: 'move', status: 'rejected', code })).toBe(1);
    expect(sample(text, 'dockhand_sync_push_duration_seconds_count')).toBe(2);
    expect(sample(text, 'dockhand_sync_pull_pages_total')).toBe(1);
  });

  it('labels a type no server knows as other, so devices cannot grow the label set', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    await push(server.app, operator, [mutation(1, 'made-up-type-x1', {}), mutation(2, 'made-up-type-x2', {})]);
    const text = await scrape();
    expect(sample(text, 'dockhand_sync_mutations_total', { type: 'other', status: 'rejected', code: 'UNSUPPORTED_VERSION' })).toBe(2);
    expect(text).not.toContain('made-up-type');
  });

  it('observes the unsent work devices report, and sums what the devices table holds', async () => {
    server = await startTestServer(backend);
    const operator = await server.signIn('operator', '1111');
    const headers = { ...operator, ...pendingReportHeaders({ pending: 7, oldestAgeSeconds: 600 }) };
    expect((await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers })).statusCode).toBe(200);
    // A push refused for a gap still reports (device-health notes it after the answer).
    const refused = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { mutations: [mutation(5, 'receive', { receiptId: 'rcp-a', productId: 'prd-a1', qty: 1 })] } });
    expect(refused.statusCode).toBe(409);
    // An anonymous request's headers move nothing.
    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: pendingReportHeaders({ pending: 999, oldestAgeSeconds: 1 }) });

    const text = await scrape();
    expect(sample(text, 'dockhand_device_outbox_reported_count', { route: 'pull' })).toBe(1);
    expect(sample(text, 'dockhand_device_outbox_reported_sum', { route: 'push' })).toBe(7);
    expect(sample(text, 'dockhand_device_outbox_reported_bucket', { route: 'pull', le: '5' })).toBe(0);
    expect(sample(text, 'dockhand_device_outbox_reported_bucket', { route: 'pull', le: '10' })).toBe(1);
    expect(sample(text, 'dockhand_sync_pushes_total', { status: '409' })).toBe(1);
    expect(sample(text, 'dockhand_devices_unsent_mutations')).toBe(7);
    expect(sample(text, 'dockhand_devices_with_unsent')).toBe(1);
    expect(sample(text, 'dockhand_devices_oldest_unsent_seconds')).toBeGreaterThanOrEqual(600);
  });

  it('counts orders taken in by channel and outcome; an Idempotency-Key replay as replayed', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const order = {
      owner: 'ACME', number: 'M-1', orderedAt: '2026-11-25T09:00:00.000Z', customerName: 'Mo Metric',
      shipTo: { name: 'Mo Metric', address1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
      lines: [{ sku: 'ACME-ESP', qty: 1 }],
    };
    const post = () => server.app.inject({ method: 'POST', url: '/api/orders', headers: { ...admin, 'idempotency-key': 'metrics-1' }, payload: order });
    expect((await post()).statusCode).toBe(201);
    expect((await post()).statusCode).toBe(201);
    const text = await scrape();
    expect(sample(text, 'dockhand_orders_intake_total', { channel: 'api', outcome: 'created' })).toBe(1);
    expect(sample(text, 'dockhand_orders_intake_total', { channel: 'api', outcome: 'replayed' })).toBe(1);
  });

  it('keeps one registry per app: two apps count apart and the live feed has its gauge', async () => {
    server = await startTestServer(backend);
    const other = await secondServer(server);
    const operator = await server.signIn('operator', '1111');
    await pull(server.app, operator);
    server.app.metrics.sseClients.inc();
    expect(sample(await scrape(), 'dockhand_sync_pull_pages_total')).toBe(1);
    expect(sample(await scrape(), 'dockhand_sse_clients')).toBe(1);
    expect(sample(await scrape(other), 'dockhand_sync_pull_pages_total')).toBe(0);
    expect(sample(await scrape(other), 'dockhand_sse_clients')).toBe(0);
  });
});

describe('push logs', () => {
  it('carry the device and user on every line and each rejection’s mutation id and code, never args or PINs', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const server = await startTestServer(BACKENDS[0]!, fixtureWarehouse(), { logger: { level: 'info', stream } });
    try {
      const operator = await server.signIn('operator', '1111');
      const secretLot = 'LOT-NOT-IN-LOGS-4242';
      const rejected = mutation(1, 'move', { productId: 'prd-a1', fromLocationId: 'loc-dock', toLocationId: 'loc-a01', qty: 50, suggestedLocationId: 'loc-a01', lot: secretLot });
      const { body } = await push(server.app, operator, [rejected]);
      const result = body.results[0]!;
      expect(result.status).toBe('rejected');

      // "incoming request" is logged before the caller is signed in; every line after carries them.
      const pushId = lines.find((line) => line['msg'] === 'incoming request' && (line['req'] as { url?: string }).url === '/api/sync/push')?.['reqId'];
      const authenticated = lines.filter((line) => line['reqId'] === pushId && line['msg'] !== 'incoming request');
      expect(authenticated.length).toBeGreaterThanOrEqual(2);
      for (const line of authenticated) expect(line).toMatchObject({ deviceId: operator.deviceId, userId: expect.any(String) });
      expect(authenticated).toContainEqual(expect.objectContaining({ msg: 'mutation rejected', mutationId: rejected.id, code: result.code, deviceId: operator.deviceId }));
      expect(authenticated).toContainEqual(expect.objectContaining({ msg: 'request completed', deviceId: operator.deviceId }));

      const all = JSON.stringify(lines);
      expect(all).not.toContain(secretLot);
      expect(all).not.toContain('"args"');
      expect(all).not.toMatch(/"pin"/i);
      expect(all).not.toContain('1111');
    } finally {
      await server.app.close();
    }
  });
});
