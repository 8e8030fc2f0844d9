// The supervisors' live feed (GET /api/supervisor/events) over real HTTP: a push reaches an open
// stream within 2 s, also one on another API server over the same database; a Last-Event-ID gets
// exactly the events missed; each supervisor sees only their owners' work; guarded like any route.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { FLOOR_EVENTS_PATH } from '../../src/domain/floor-events';
import { readEventStream, type ServerSentEvent } from '../../src/sync/event-stream';
import { FloorFeed } from '../../server/floor/floor-feed';
import { BACKENDS, checkAndCloseAfterEach, secondServer, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';
import { fixtureWarehouse } from './fixture';

/** The promise: a supervisor's screen hears of a scan within 2 s. */
const WITHIN_MS = 2000;

type Headers = { authorization: string; deviceId: string };

/** The fixture, with a supervisor limited to each owner. */
function warehouse() {
  const data = fixtureWarehouse();
  data.users.push(
    { username: 'sup-a', displayName: 'Ann Acme-lead', pin: '4444', role: 'supervisor', ownerIds: ['own-a'] },
    { username: 'sup-b', displayName: 'Bea Beta-lead', pin: '5555', role: 'supervisor', ownerIds: ['own-b'] },
  );
  return data;
}

/** An open stream and the events read from it so far. */
interface OpenStream {
  status: number;
  events: ServerSentEvent[];
  /** The first event after those already taken that `match` accepts, within WITHIN_MS. */
  next(match: (event: ServerSentEvent) => boolean): Promise<ServerSentEvent>;
  close(): void;
}

// Streams end with their server (closed after each test, or by the test for a second server): a
// client's abort can leave a connection that holds the server's close until it times out.
const opened: OpenStream[] = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});

/** A second API server on the same database, listening, that `run` runs against; closed after. */
async function withSecondServer(server: TestServer, run: (other: FastifyInstance) => Promise<void>): Promise<void> {
  const other = await secondServer(server);
  await other.listen({ port: 0, host: '127.0.0.1' });
  try {
    await run(other);
  } finally {
    await other.close();
  }
}

async function* text(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield decoder.decode(value, { stream: true });
  }
}

async function openStream(app: FastifyInstance, viewer: { authorization?: string }, resume: { header?: string; query?: string } = {}): Promise<OpenStream> {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening');
  const controller = new AbortController();
  const query = resume.query === undefined ? '' : `?lastEventId=${resume.query}`;
  const response = await fetch(`http://127.0.0.1:${address.port}${FLOOR_EVENTS_PATH}${query}`, {
    headers: { ...(viewer.authorization ? { authorization: viewer.authorization } : {}), ...(resume.header ? { 'last-event-id': resume.header } : {}) },
    signal: controller.signal,
  });
  const events: ServerSentEvent[] = [];
  let taken = 0;
  if (response.ok && response.body) {
    const body = response.body;
    void (async () => {
      for await (const event of readEventStream(text(body))) events.push(event);
    })().catch(() => undefined);
  }
  const stream: OpenStream = {
    status: response.status,
    events,
    async next(match) {
      const deadline = Date.now() + WITHIN_MS;
      for (;;) {
        const index = events.findIndex((event, i) => i >= taken && match(event));
        if (index >= 0) {
          taken = index + 1;
          return events[index]!;
        }
        if (Date.now() > deadline) throw new Error(`no matching event within ${WITHIN_MS} ms; got ${JSON.stringify(events.slice(taken))}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () => controller.abort(),
  };
  opened.push(stream);
  return stream;
}

const kind = (name: string) => (event: ServerSentEvent) => event.event === name;
const data = (event: ServerSentEvent) => JSON.parse(event.data) as Record<string, unknown>;
const appliedOn = (pickLineId: string) => (event: ServerSentEvent) => event.event === 'mutation-applied' && data(event).pickLineId === pickLineId;

describe.each(BACKENDS)('the supervisors’ live feed on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  async function start(): Promise<{ operator: Headers; supervisor: Headers }> {
    server = await startTestServer(backend, warehouse());
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    return { operator: await server.signIn('operator', '1111'), supervisor: await server.signIn('supervisor', '2222') };
  }

  it('refuses the signed-out (401) and operators (403) before anything is streamed', async () => {
    const { operator } = await start();
    expect((await server.app.inject({ method: 'GET', url: FLOOR_EVENTS_PATH })).statusCode).toBe(401);
    const refused = await server.app.inject({ method: 'GET', url: FLOOR_EVENTS_PATH, headers: { authorization: operator.authorization } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'FORBIDDEN' });
    expect((await openStream(server.app, {})).status).toBe(401);
  });

  it('streams an applied push within 2 s, with its pick list, as text/event-stream', async () => {
    const { operator, supervisor } = await start();
    const stream = await openStream(server.app, supervisor);
    expect(stream.status).toBe(200);
    const reset = await stream.next(kind('reset'));
    expect(data(reset)).toEqual({ reason: 'new' });
    const sent = Date.now();
    expect((await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2))])).body.results[0]).toMatchObject({ status: 'applied' });
    const event = await stream.next(appliedOn('pln-1'));
    expect(Date.now() - sent).toBeLessThan(WITHIN_MS);
    expect(Number(event.id)).toBeGreaterThan(Number(reset.id));
    expect(data(event)).toMatchObject({ type: 'pick', deviceId: operator.deviceId, seq: 1, pickListId: 'pl-1', orderId: '5234567890123456789', qty: 2 });
    expect(Date.parse(data(event).at as string)).not.toBeNaN();
  });

  it('streams a rejection and a device’s failed push', async () => {
    const { operator, supervisor } = await start();
    const stream = await openStream(server.app, supervisor);
    await stream.next(kind('reset'));
    // Four from a line of three: the rule refuses it.
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 4))]);
    expect(data(await stream.next(kind('mutation-rejected')))).toMatchObject({ deviceId: operator.deviceId, seq: 1, type: 'pick' });
    // A gap is refused (409): the device's push is failing, with 3 unsent.
    const gap = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: operator.authorization, 'dockhand-pending': '3', 'dockhand-pending-age': '60' }, payload: { mutations: [mutation(5, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))] } });
    expect(gap.statusCode).toBe(409);
    expect(data(await stream.next(kind('device-health')))).toMatchObject({ deviceId: operator.deviceId, pendingCount: 3, pushFailing: true });
  });

  it('reaches a stream on another API server over the same database', async () => {
    const { operator, supervisor } = await start();
    await withSecondServer(server, async (other) => {
      const stream = await openStream(other, supervisor);
      await stream.next(kind('reset'));
      await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
      expect(data(await stream.next(appliedOn('pln-1')))).toMatchObject({ seq: 1 });
    });
  });

  it('resumes from Last-Event-ID with exactly the events missed, from either server', async () => {
    const { operator, supervisor } = await start();
    const first = await openStream(server.app, supervisor);
    await first.next(kind('reset'));
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    const seen = await first.next(appliedOn('pln-1'));
    // The supervisor's tablet drops off the network.
    first.close();
    await push(server.app, operator, [mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), mutation(3, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))]);

    const expectMissed = async (stream: OpenStream) => {
      await stream.next(kind('ready'));
      const missed = stream.events.filter((event) => event.event.startsWith('mutation'));
      expect(missed.map((event) => data(event).seq)).toEqual([2, 3]);
    };
    await expectMissed(await openStream(server.app, supervisor, { header: seen.id }));
    // The same through the query (a client reconnecting by fetch), on another server.
    await withSecondServer(server, async (other) => expectMissed(await openStream(other, supervisor, { query: seen.id })));
    // After the missed ones, live again.
    const resumed = await openStream(server.app, supervisor, { header: seen.id });
    await resumed.next(kind('ready'));
    await push(server.app, operator, [mutation(4, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(data(await resumed.next((event) => event.event === 'mutation-applied' && data(event).seq === 4))).toMatchObject({ pickLineId: 'pln-1' });
  });

  it('tells a stream whose Last-Event-ID is no longer kept to reload', async () => {
    const { supervisor } = await start();
    const stream = await openStream(server.app, supervisor, { header: '999999999' });
    expect(data(await stream.next(kind('reset')))).toEqual({ reason: 'expired' });
  });

  it('shows a supervisor of one owner only that owner’s work and devices', async () => {
    const { operator } = await start();
    const beta = await server.signIn('beta', '3333');
    const streamA = await openStream(server.app, await server.signIn('sup-a', '4444'));
    const streamB = await openStream(server.app, await server.signIn('sup-b', '5555'));
    await streamA.next(kind('reset'));
    await streamB.next(kind('reset'));
    // Owner B's work first: had supervisor A's stream been sent it, it would come before A's own.
    await push(server.app, beta, [mutation(1, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1'))]);
    await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: beta.authorization, 'dockhand-pending': '2', 'dockhand-pending-age': '30' }, payload: { mutations: [mutation(9, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1'))] } });
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);

    await streamA.next(appliedOn('pln-1'));
    expect(streamA.events.filter((event) => event.event !== 'reset').map((event) => [event.event, data(event).pickLineId ?? data(event).deviceId])).toEqual([['mutation-applied', 'pln-1']]);
    await streamB.next(appliedOn('pln-4'));
    expect(data(await streamB.next(kind('device-health')))).toMatchObject({ deviceId: beta.deviceId, pendingCount: 2 });
    // Operator A's user is of every owner: their pick is owner A's, and nobody of owner B hears of it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(streamB.events.some(appliedOn('pln-1'))).toBe(false);
  });

  it('streams an order put on hold by its supervisor', async () => {
    const { supervisor } = await start();
    const stream = await openStream(server.app, supervisor);
    await stream.next(kind('reset'));
    const { rows } = await server.db.query<{ id: string }>(`select id from orders where status = 'allocated' order by id limit 1`);
    const orderId = rows[0]!.id;
    await server.db.transaction(async (tx) => {
      const { setOrderStatus, lockOrder } = await import('../../server/orders/store');
      await setOrderStatus(tx, (await lockOrder(tx, orderId, null))!, 'on_hold', { holdReason: 'HELD_BY_SUPERVISOR' });
    });
    expect(data(await stream.next(kind('order-status')))).toMatchObject({ orderId, status: 'on_hold', previousStatus: 'allocated' });
  });

  it('opens at most its limit of streams', async () => {
    await start();
    const feed = new FloorFeed(server.db, { maxStreams: 1, heartbeatMs: 60_000, log: { warn: () => undefined } });
    try {
      expect(await feed.open(null, null, new PassThrough())).not.toBeNull();
      expect(await feed.open(null, null, new PassThrough())).toBeNull();
    } finally {
      await feed.stop();
    }
  });
});
