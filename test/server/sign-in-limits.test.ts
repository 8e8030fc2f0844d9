// Sign-in limits counted in the database: per account and per address, shared by every API
// server, with X-Forwarded-For believed only from configured proxies; a lock after repeated
// failures that a supervisor of the user's owners lifts, audited; canonical usernames and NUL
// refused at the boundary — on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { parseTrustProxy, readConfig } from '../../server/config';
import type { SignInLimits } from '../../server/sign-in-guard';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';

// Every test checks a dozen or more PINs (scrypt, ~50 ms each when the machine is idle).
describe.each(BACKENDS)('sign-in limits on %s', { timeout: 60_000 }, (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);
  const extraApps: FastifyInstance[] = [];
  afterEach(async () => {
    for (const app of extraApps.splice(0)) await app.close();
  });

  /** A server on the fixture warehouse with these limits (and proxies) instead of the defaults. */
  async function limitedServer(limits: Partial<SignInLimits>, trustProxy?: string[]) {
    server = await startTestServer(backend);
    const app = await buildApp({ db: server.db, signInLimits: limits, ...(trustProxy ? { trustProxy } : {}) });
    extraApps.push(app);
    return app;
  }

  const attempt = (app: FastifyInstance, username: string, pin: string, options: { from?: string; forwardedFor?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username, pin, deviceId: `dev-${randomUUID()}` },
      remoteAddress: options.from ?? '203.0.113.7',
      headers: options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {},
    });

  it('does not let a rotating X-Forwarded-For escape the address limit without TRUST_PROXY', async () => {
    const app = await limitedServer({ addressFailures: 3 });
    // Spraying: a different account and a different claimed address each time.
    for (let i = 0; i < 3; i++) expect((await attempt(app, `user${i}`, '0000', { forwardedFor: `198.51.100.${i}` })).statusCode).toBe(401);
    const limited = await attempt(app, 'operator', '1111', { forwardedFor: '198.51.100.99' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) as number });
    expect(limited.json().message).toMatch(/Wait \d+ seconds/);
    expect(Number(limited.headers['retry-after'])).toBe(limited.json().retryAfterSeconds);
    // Another address is not limited by it.
    expect((await attempt(app, 'operator', '1111', { from: '203.0.113.8' })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from the trusted proxy', async () => {
    const app = await limitedServer({ addressFailures: 3 }, ['10.0.0.1']);
    // Through the proxy, each client is counted under its own address.
    for (let i = 0; i < 6; i++) {
      expect((await attempt(app, `user${i}`, '0000', { from: '10.0.0.1', forwardedFor: `198.51.100.${i}` })).statusCode).toBe(401);
    }
    // A client talking to the server directly cannot pick its address.
    for (let i = 0; i < 3; i++) {
      expect((await attempt(app, `other${i}`, '0000', { from: '203.0.113.7', forwardedFor: `198.51.100.${50 + i}` })).statusCode).toBe(401);
    }
    expect((await attempt(app, 'operator', '1111', { from: '203.0.113.7', forwardedFor: '198.51.100.99' })).statusCode).toBe(429);
  });

  it('counts failures in the database, shared by two servers on it', async () => {
    const one = await limitedServer({ accountFailures: 3 });
    const two = await buildApp({ db: server.db, signInLimits: { accountFailures: 3 } });
    extraApps.push(two);
    expect((await attempt(one, 'operator', '0000')).statusCode).toBe(401);
    expect((await attempt(two, 'operator', '0000', { from: '203.0.113.8' })).statusCode).toBe(401);
    expect((await attempt(one, 'operator', '0000', { from: '203.0.113.9' })).statusCode).toBe(401);
    expect((await attempt(two, 'operator', '1111', { from: '203.0.113.10' })).statusCode).toBe(429);
    expect((await attempt(two, 'supervisor', '2222')).statusCode).toBe(200);
  });

  it('locks an account after repeated failures until a supervisor of its owners unlocks it, with audit rows', async () => {
    const app = await limitedServer({ lockAfter: 4, accountFailures: 100 });
    const statuses = async (username: string) => {
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) seen.push((await attempt(app, username, '0000')).statusCode);
      return seen;
    };
    // A username that is nobody's answers exactly as a real one: nothing tells them apart.
    expect(await statuses('beta')).toEqual([401, 401, 401, 423, 423]);
    expect(await statuses('nobody-here')).toEqual([401, 401, 401, 423, 423]);
    const locked = await attempt(app, 'beta', '3333');
    expect(locked.statusCode).toBe(423);
    expect(locked.json()).toEqual({ error: 'ACCOUNT_LOCKED', message: expect.stringMatching(/Ask a supervisor/) as string });

    const admin = await server.signIn('admin', '9999');
    const newSupervisor = (username: string, ownerIds: string[]) =>
      app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: { username, displayName: username, pin: '5151', role: 'supervisor', ownerIds } });
    expect((await newSupervisor('sup-a', ['own-a'])).statusCode).toBe(201);
    expect((await newSupervisor('sup-b', ['own-b'])).statusCode).toBe(201);
    const unlock = (headers: { authorization: string }, username: string) =>
      app.inject({ method: 'POST', url: `/api/admin/users/${username}/unlock`, headers, remoteAddress: '192.0.2.5' });

    const supA = await server.signIn('sup-a', '5151');
    const operator = await server.signIn('operator', '1111');
    expect((await unlock(operator, 'beta')).statusCode).toBe(403);
    for (const username of ['beta', 'nobody-here', 'operator']) {
      const refused = await unlock(supA, username);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toEqual({ error: 'NOT_FOUND', message: 'User not found.' });
    }
    expect((await attempt(app, 'beta', '3333')).statusCode).toBe(423);

    const supB = await server.signIn('sup-b', '5151');
    const unlocked = await unlock(supB, 'BETA');
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json()).toEqual({ username: 'beta', wasLocked: true });
    expect((await attempt(app, 'beta', '3333')).statusCode).toBe(200);

    const { rows } = await server.db.query<{ event: string; username: string; user_id: string | null; actor: string | null; address: string }>(
      `select a.event, a.username, a.user_id, u.username as actor, a.address from auth_audit a
       left join users u on u.id = a.actor_user_id where a.event like 'account_%' order by a.id`,
    );
    const betaId = (await server.db.query<{ id: string }>("select id from users where username = 'beta'")).rows[0]!.id;
    expect(rows).toEqual([
      { event: 'account_locked', username: 'beta', user_id: betaId, actor: null, address: '203.0.113.7' },
      { event: 'account_locked', username: 'nobody-here', user_id: null, actor: null, address: '203.0.113.7' },
      { event: 'account_unlocked', username: 'beta', user_id: betaId, actor: 'sup-b', address: '192.0.2.5' },
    ]);
  });

  it('keeps everyone else behind the same address signing in while one account keeps failing', async () => {
    const app = await limitedServer({ addressFailures: 12, accountFailures: 100 });
    // Ten failures lock the account; the attempts after it are refused unchecked and cost the
    // address nothing (as do those refused by the account's own window limit).
    for (let i = 0; i < 15; i++) await attempt(app, 'operator', '0000');
    expect((await attempt(app, 'operator', '1111')).statusCode).toBe(423);
    for (const [username, pin] of [['supervisor', '2222'], ['beta', '3333'], ['admin', '9999']] as const) {
      expect((await attempt(app, username, pin)).statusCode).toBe(200);
    }
    // Successes are not counted either: the two failures left in the budget would be gone.
    for (let i = 0; i < 5; i++) expect((await attempt(app, 'supervisor', '2222')).statusCode).toBe(200);
  }, 60_000);

  it('treats usernames that differ in case or spacing as one account', async () => {
    server = await startTestServer(backend);
    for (const name of ['Operator', ' OPERATOR ']) expect((await attempt(server.app, name, '1111')).statusCode).toBe(200);
    const admin = await server.signIn('admin', '9999');
    const create = (username: string) =>
      server.app.inject({ method: 'POST', url: '/api/admin/users', headers: admin, payload: { username, displayName: 'Casey', pin: '4821', role: 'operator' } });
    expect((await create('Operator')).statusCode).toBe(409);
    const casey = await create('Casey');
    expect(casey.statusCode).toBe(201);
    expect(casey.json()).toMatchObject({ username: 'casey' });
    expect((await create('CASEY')).statusCode).toBe(409);
    expect((await attempt(server.app, 'cAsEy', '4821')).statusCode).toBe(200);
    // Written around the application, a case variant still collides.
    await expect(server.db.query("insert into users (id, username, display_name, pin_hash, role) values ('u-x', 'CASEY', 'X', 'x', 'operator')"))
      .rejects.toMatchObject({ code: '23505' });
  });

  it('answers NUL in the username, PIN or device id with 400 naming the field', async () => {
    server = await startTestServer(backend);
    const cases = [
      ['username', { username: 'oper\u0000ator', pin: '1111', deviceId: 'device-0001' }],
      ['pin', { username: 'operator', pin: '11\u000011', deviceId: 'device-0001' }],
      ['deviceId', { username: 'operator', pin: '1111', deviceId: 'device\u00000001' }],
      ['deviceSecret', { username: 'operator', pin: '1111', deviceId: 'device-0001', deviceSecret: 'se\u0000cret' }],
    ] as const;
    for (const [field, payload] of cases) {
      const response = await server.app.inject({ method: 'POST', url: '/api/session', payload });
      expect(response.statusCode, field).toBe(400);
      expect(response.json().message).toContain(field);
    }
  });
});

describe('TRUST_PROXY', () => {
  it('trusts nobody unless told, and takes a hop count or a list of addresses and ranges', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy(' ')).toBe(false);
    expect(readConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16,fd00::/8,loopback')).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', 'loopback']);
  });

  it('refuses anything else at start with a message saying what it takes', () => {
    for (const value of ['true', '*', '10.0.0.0/33', '10.0.0.300', 'proxy.local']) {
      expect(() => parseTrustProxy(value), value).toThrow(/TRUST_PROXY must be a hop count or a comma-separated list/);
    }
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/not "true"/);
  });
});
