// The server's edges: sign-in, tokens and roles, owner scoping, bad and oversized input, health,
// and data surviving a restart — on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openDb } from '../../server/db/index';
import { migrate } from '../../server/db/migrate';
import { isEmpty, loadWarehouse } from '../../server/seed/load';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, pull, pullAll, push } from './client';
import { fixtureWarehouse } from './fixture';

async function nextSeq(server: TestServer, deviceId: string): Promise<number> {
  const { rows } = await server.db.query<{ next_seq: number }>('select next_seq from devices where id = $1', [deviceId]);
  return Number(rows[0]!.next_seq);
}

async function stockSnapshot(server: TestServer) {
  return (await server.db.query('select id, qty from stock order by id')).rows;
}

describe.each(BACKENDS)('api on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('answers health with the database in use', async () => {
    server = await startTestServer(backend);
    const response = await server.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.json()).toEqual({ ok: true, db: backend });
  });

  it('signs in with the right PIN only, and never stores the PIN', async () => {
    server = await startTestServer(backend);
    const wrong = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '1112', deviceId: 'device-0001' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'INVALID_CREDENTIALS', message: 'Wrong username or PIN.' });
    const unknown = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'nobody', pin: '1111', deviceId: 'device-0001' } });
    expect(unknown.statusCode).toBe(401);
    const right = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '1111', deviceId: 'device-0001' } });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toMatchObject({ token: expect.any(String), user: { username: 'operator', role: 'operator', ownerIds: null } });
    const { rows } = await server.db.query<{ pin_hash: string }>("select pin_hash from users where username = 'operator'");
    expect(rows[0]!.pin_hash).toMatch(/^scrypt\$/);
    expect(rows[0]!.pin_hash).not.toContain('1111');
  });

  it('limits failed sign-in attempts per username', async () => {
    const db = (await startTestServer(backend)).db;
    server = { db, app: await buildApp({ db, signInLimits: { accountFailures: 3 } }), signIn: async () => { throw new Error('unused'); } };
    const attempt = () => server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '0000', deviceId: 'device-0001' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().message).toMatch(/Too many sign-in attempts/);
  });

  it('refuses requests without a valid token (401) and with the wrong role (403)', async () => {
    server = await startTestServer(backend);
    expect((await server.app.inject({ method: 'GET', url: '/api/sync/pull' })).statusCode).toBe(401);
    const forged = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: 'Bearer not-a-token' }, payload: { mutations: [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))] } });
    expect(forged.statusCode).toBe(401);
    const operator = await server.signIn('operator', '1111');
    expect((await server.app.inject({ method: 'GET', url: '/api/supervisor/overview', headers: operator })).statusCode).toBe(403);
    const supervisor = await server.signIn('supervisor', '2222');
    const overview = await server.app.inject({ method: 'GET', url: '/api/supervisor/overview', headers: supervisor });
    expect(overview.statusCode).toBe(200);
    expect(overview.json().pickLists).toHaveLength(3);
    const newUser = { username: 'casey', displayName: 'Casey', pin: '4821', role: 'operator', ownerIds: ['own-a'] };
    expect((await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: supervisor, payload: newUser })).statusCode).toBe(403);
    const admin = await server.signIn('admin', '9999');
    expect((await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: newUser })).statusCode).toBe(201);
    expect((await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: newUser })).statusCode).toBe(409);
    await server.signIn('casey', '4821');
  });

  it('lets an admin of some owners create users only within them, naming ownerIds and no more', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const create = (headers: { authorization: string }, user: Record<string, unknown>) =>
      server.app.inject({ method: 'POST', url: '/api/admin/users', headers, payload: { displayName: 'New', pin: '4821', role: 'operator', ...user } });
    expect((await create(admin, { username: 'alex', role: 'admin', ownerIds: ['own-a'] })).statusCode).toBe(201);
    const alex = await server.signIn('alex', '4821');

    const other = await create(alex, { username: 'bo', ownerIds: ['own-b'] });
    const unknown = await create(alex, { username: 'bo', ownerIds: ['own-nope'] });
    expect(other.statusCode).toBe(400);
    // Another owner's id is answered exactly as a made-up one.
    expect(other.json().message).toBe('ownerIds: unknown owners own-b.');
    expect(unknown.json().message).toBe('ownerIds: unknown owners own-nope.');
    expect((await create(alex, { username: 'bo', ownerIds: null })).statusCode).toBe(403);
    expect((await create(alex, { username: 'bo', ownerIds: ['x'.repeat(5000)] })).json().message).toMatch(/ownerIds/);
    expect((await server.db.query("select 1 from users where username = 'bo'")).rows).toHaveLength(0);
    expect((await create(alex, { username: 'bo', ownerIds: ['own-a'] })).statusCode).toBe(201);
  });

  it('ends a session at sign-out', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    expect((await server.app.inject({ method: 'DELETE', url: '/api/session', headers: device })).statusCode).toBe(204);
    expect((await pull(server.app, device)).status).toBe(401);
  });

  it('keeps another owner’s rows invisible and its documents untouchable', async () => {
    server = await startTestServer(backend);
    const beta = await server.signIn('beta', '3333');
    const { changes } = await pullAll(server.app, beta);
    const owners = new Set(changes.filter((c) => c.row && 'ownerId' in c.row).map((c) => c.row!.ownerId));
    expect([...owners]).toEqual(['own-b']);
    expect(changes.map((c) => c.id)).not.toContain('prd-a1');
    expect(changes.filter((c) => c.table === 'owners').map((c) => c.id)).toEqual(['own-b']);
    expect(changes.some((c) => c.table === 'locations')).toBe(true);

    const { body } = await push(server.app, beta, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    expect(await stockSnapshot(server)).toContainEqual({ id: 'loc-a01|prd-a1||', qty: 5 });

    // Another owner's change never reaches this user's feed.
    const operator = await server.signIn('operator', '1111');
    const after = (await pullAll(server.app, beta)).cursor;
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect((await pullAll(server.app, beta, after)).changes).toEqual([]);
  });

  it('refuses a malformed body with 400 and a message, changing nothing', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const before = await stockSnapshot(server);
    const cases: unknown[] = [
      { mutations: [] },
      { mutations: [{ ...mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), id: 'not-a-uuid' }] },
      // Bad content (qty -2) is no longer a 400 but the mutation's stored rejection: poison.test.ts.
      { mutations: [{ ...mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), seq: 0 }] },
      { mutations: [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), mutation(3, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))] },
      'not json at all',
    ];
    for (const payload of cases) {
      const response = await server.app.inject({
        method: 'POST', url: '/api/sync/push', headers: { ...device, 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().message, JSON.stringify(payload)).toEqual(expect.any(String));
    }
    expect(await stockSnapshot(server)).toEqual(before);
    expect(await nextSeq(server, device.deviceId)).toBe(1);
    const badQuery = await server.app.inject({ method: 'GET', url: '/api/sync/pull?cursor=garbage', headers: device });
    expect(badQuery.statusCode).toBe(400);
  });

  it('refuses an oversized body with 413, changing nothing', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const big = mutation(1, 'pick', { ...pickArgs('pln-1', 'loc-a01', 'prd-a1'), padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: device, payload: { mutations: [big] } });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toMatch(/larger than/);
    expect(await nextSeq(server, device.deviceId)).toBe(1);
  });

  it('stores an unknown mutation version as UNSUPPORTED_VERSION and moves on', async () => {
    server = await startTestServer(backend);
    const device = await server.signIn('operator', '1111');
    const { body } = await push(server.app, device, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'), 7),
      mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')),
    ]);
    expect(body.results.map((r) => [r.status, r.code])).toEqual([['rejected', 'UNSUPPORTED_VERSION'], ['applied', null]]);
  });

  it('describes every endpoint in the OpenAPI document', async () => {
    server = await startTestServer(backend);
    const response = await server.app.inject({ method: 'GET', url: '/api/docs/json' });
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/health', '/api/session', '/api/sync/push', '/api/sync/pull', '/api/supervisor/overview', '/api/admin/users']));
    expect((await server.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });
});

describe('embedded PGlite on disk', () => {
  it('keeps the data across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dockhand-restart-'));
    try {
      let db = await openDb({ dataDir });
      await migrate(db);
      await loadWarehouse(db, fixtureWarehouse());
      let app = await buildApp({ db });
      const session = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator', pin: '1111', deviceId: 'device-restart' } });
      const headers = { authorization: `Bearer ${session.json().token}` };
      expect((await push(app, headers, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2))])).body.results[0]!.status).toBe('applied');
      await app.close();
      await db.close();

      db = await openDb({ dataDir });
      expect(await migrate(db)).toEqual([]);
      expect(await isEmpty(db)).toBe(false);
      app = await buildApp({ db });
      const body = await pullAll(app, headers);
      expect(body.nextSeq).toBe(2);
      expect(body.results).toHaveLength(1);
      expect(body.changes).toContainEqual(expect.objectContaining({ table: 'stock', id: 'loc-a01|prd-a1||', row: expect.objectContaining({ qty: 3 }) }));
      await app.close();
      await db.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
