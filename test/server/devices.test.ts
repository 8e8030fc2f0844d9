// A device id is bound to the credential that registered it: nobody else's sign-in can read its
// results or spend its sequence numbers, and a second user on a shared handheld is a shift
// handover that waits for an empty outbox — on PGlite and, with TEST_DATABASE_URL, PostgreSQL.
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { authenticate } from '../../server/auth';
import { DeviceHandedOverError, parseBatch, pushMutations } from '../../server/sync/push';
import { mutation, pickArgs, pull, pullAll, push } from './client';
import { TODAY } from './fixture';

interface SignInBody { deviceId: string; deviceSecret?: string; nextSeq?: number }

describe.each(BACKENDS)('devices on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  const signIn = (username: string, pin: string, device: SignInBody) =>
    server.app.inject({ method: 'POST', url: '/api/session', payload: { username, pin, ...device } });

  /** Signs in and answers the bearer headers and the secret the server issued, if any. */
  async function session(username: string, pin: string, device: SignInBody) {
    const response = await signIn(username, pin, device);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ token: string; deviceSecret?: string }>();
    return { headers: { authorization: `Bearer ${body.token}` }, deviceSecret: body.deviceSecret };
  }

  it('issues a device secret once, at the first sign-in, and keeps only its hash', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    const first = await session('operator', '1111', { deviceId, nextSeq: 1 });
    expect(first.deviceSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await session('operator', '1111', { deviceId, deviceSecret: first.deviceSecret!, nextSeq: 1 });
    expect(again.deviceSecret).toBeUndefined();
    const { rows } = await server.db.query<{ secret_hash: string }>('select secret_hash from devices where id = $1', [deviceId]);
    expect(rows[0]!.secret_hash).toBe(createHash('sha256').update(first.deviceSecret!).digest('hex'));
  });

  it('refuses another user’s sign-in with a device’s id, revealing nothing, and the device keeps syncing', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    const victim = await session('operator', '1111', { deviceId, nextSeq: 1 });
    expect((await push(server.app, victim.headers, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))])).status).toBe(200);

    for (const attempt of [{ deviceId, nextSeq: 1 }, { deviceId, deviceSecret: 'guessed-secret', nextSeq: 1 }]) {
      const refused = await signIn('beta', '3333', attempt);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'DEVICE_TAKEN' });
      expect(refused.body).not.toMatch(/operator|Olivia|own-a/i);
    }
    // The same user without the secret is refused too: the id is bound to the device, not the name.
    expect((await signIn('operator', '1111', { deviceId, nextSeq: 1 })).statusCode).toBe(403);
    expect((await server.db.query("select 1 from sessions s join users u on u.id = s.user_id where u.username = 'beta'")).rows).toHaveLength(0);

    const next = await push(server.app, victim.headers, [mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.results[0]).toMatchObject({ seq: 2, status: 'applied' });
    const { results } = await pullAll(server.app, victim.headers);
    expect(results.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('hands a device over with an empty outbox: the sequence goes on and nobody pulls another’s results', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    const olivia = await session('operator', '1111', { deviceId, nextSeq: 1 });
    const secret = olivia.deviceSecret!;
    await push(server.app, olivia.headers, [
      mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')),
      mutation(2, 'pick', pickArgs('pln-4', 'loc-b01', 'prd-b1', 999)),
    ]);

    const sam = await session('supervisor', '2222', { deviceId, deviceSecret: secret, nextSeq: 3 });
    expect((await pull(server.app, olivia.headers)).status).toBe(401);
    const handedOver = await pullAll(server.app, sam.headers);
    expect(handedOver.results).toEqual([]);
    expect(handedOver.nextSeq).toBe(3);
    const pushed = await push(server.app, sam.headers, [mutation(3, 'pick', pickArgs('pln-2', 'loc-a02', 'prd-a2'))]);
    expect(pushed.body.results[0]).toMatchObject({ seq: 3, status: 'applied' });
    expect((await pullAll(server.app, sam.headers)).results.map((r) => r.seq)).toEqual([3]);

    // Handed back: each user's results stay readable to that user alone.
    const back = await session('operator', '1111', { deviceId, deviceSecret: secret, nextSeq: 4 });
    expect((await pullAll(server.app, back.headers)).results.map((r) => r.seq)).toEqual([1, 2]);
  });

  it('stops a push signed in before a handover from spending the new user’s sequence', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    const olivia = await session('operator', '1111', { deviceId, nextSeq: 1 });
    const actor = await authenticate(server.db, olivia.headers.authorization.slice('Bearer '.length));
    await session('supervisor', '2222', { deviceId, deviceSecret: olivia.deviceSecret!, nextSeq: 1 });

    // The rest of Olivia's batch, already past authentication when Sam signed in.
    const batch = parseBatch([mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    if (!batch.ok) throw new Error(batch.message);
    await expect(pushMutations(server.db, actor!.actor, batch.items, { today: () => TODAY })).rejects.toBeInstanceOf(DeviceHandedOverError);
    const { rows } = await server.db.query<{ next_seq: number; user_id: string }>(
      'select d.next_seq, u.username as user_id from devices d join users u on u.id = d.user_id where d.id = $1', [deviceId]);
    expect(rows[0]).toEqual({ next_seq: 1, user_id: 'supervisor' });
    expect((await server.db.query('select 1 from mutation_results where device_id = $1', [deviceId])).rows).toHaveLength(0);
  });

  it('refuses a handover while the device declares mutations the server has not seen', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    const olivia = await session('operator', '1111', { deviceId, nextSeq: 1 });
    const secret = olivia.deviceSecret!;
    await push(server.app, olivia.headers, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);

    // Seq 2 waits on the device; a device that does not say what it holds is refused as well.
    for (const attempt of [{ deviceId, deviceSecret: secret, nextSeq: 3 }, { deviceId, deviceSecret: secret }]) {
      const refused = await signIn('supervisor', '2222', attempt);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ error: 'UNSENT_MUTATIONS' });
    }
    expect((await pull(server.app, olivia.headers)).status).toBe(200);
    // The user who made them signs in again (no handover) and sends them.
    const again = await session('operator', '1111', { deviceId, deviceSecret: secret, nextSeq: 3 });
    expect((await push(server.app, again.headers, [mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))])).status).toBe(200);
    await session('supervisor', '2222', { deviceId, deviceSecret: secret, nextSeq: 3 });
  });

  it('lets only the user recorded on a device from before device secrets claim it', async () => {
    server = await startTestServer(backend);
    const deviceId = `dev-${randomUUID()}`;
    await server.db.query("insert into devices (id, next_seq, user_id) select $1, 5, id from users where username = 'operator'", [deviceId]);
    expect((await signIn('beta', '3333', { deviceId, nextSeq: 5 })).statusCode).toBe(403);
    const claimed = await session('operator', '1111', { deviceId, nextSeq: 5 });
    expect(claimed.deviceSecret).toBeDefined();
    expect((await signIn('operator', '1111', { deviceId, nextSeq: 5 })).statusCode).toBe(403);
    expect((await pullAll(server.app, claimed.headers)).nextSeq).toBe(5);
  });
});
