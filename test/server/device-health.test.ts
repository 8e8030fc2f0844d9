// Device sync health as the supervisor sees it: failed pushes counted per device with their code
// and cleared by the next push that goes through, the unsent work devices report with push and
// pull, what counts as stuck, and devices scoped by their user's owners.
import { describe, expect, it } from 'vitest';
import { APP_VERSION_HEADER, PENDING_AGE_HEADER, PENDING_COUNT_HEADER, type DeviceHealth } from '../../src/domain/device-health';
import { recordPushFailure } from '../../server/sync/device-health';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, push } from './client';

type Headers = { authorization: string; deviceId: string };

const reported = (pending: number, ageSeconds: number) => ({ [PENDING_COUNT_HEADER]: String(pending), [PENDING_AGE_HEADER]: String(ageSeconds) });

async function overview(server: TestServer, viewer: Headers): Promise<DeviceHealth[]> {
  const response = await server.app.inject({ method: 'GET', url: '/api/supervisor/overview', headers: { authorization: viewer.authorization } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ devices: DeviceHealth[] }>().devices;
}

/** The device's entry once `ready` holds: the health is noted after the answer has gone. */
async function deviceEntry(server: TestServer, viewer: Headers, deviceId: string, ready: (device: DeviceHealth) => boolean): Promise<DeviceHealth> {
  let found: DeviceHealth | undefined;
  await expect.poll(async () => {
    found = (await overview(server, viewer)).find((device) => device.id === deviceId);
    return found !== undefined && ready(found);
  }).toBe(true);
  return found!;
}

/** Seconds between an ISO time and the database's now. */
async function secondsAgo(server: TestServer, iso: string): Promise<number> {
  const { rows } = await server.db.query<{ s: number }>('select extract(epoch from now() - $1::timestamptz)::float8 as s', [iso]);
  return rows[0]!.s;
}

/** A push the route refuses as a whole (400): its sequence numbers are not consecutive. */
const refusedBatch = () => [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1')), mutation(3, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))];

describe.each(BACKENDS)('device sync health on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('counts failed pushes with their code and the reported unsent work; a push that goes through clears them', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('operator', '1111');
    const before = await deviceEntry(server, supervisor, operator.deviceId, () => true);
    expect(before).toMatchObject({ pushFailingSince: null, pushFailures: 0, lastPushError: null, pendingCount: null, stuck: false });

    const first = await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: { ...operator, ...reported(2, 600) }, payload: { mutations: refusedBatch() } });
    expect(first.statusCode).toBe(400);
    const failing = await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pushFailures === 1);
    expect(failing).toMatchObject({ lastPushError: { status: 400, code: 'BAD_REQUEST' }, pendingCount: 2, stuck: true });
    expect(await secondsAgo(server, failing.oldestPendingAt!)).toBeGreaterThanOrEqual(599);
    expect(await secondsAgo(server, failing.oldestPendingAt!)).toBeLessThan(660);

    // A gap is another refusal: counted, its own code kept, the first failure's time kept.
    const gap = await push(server.app, operator, [mutation(5, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(gap.status).toBe(409);
    const again = await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pushFailures === 2);
    expect(again).toMatchObject({ pushFailingSince: failing.pushFailingSince, lastPushError: { status: 409, code: 'SEQUENCE_GAP' } });

    const sent = await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    expect(sent.status).toBe(200);
    // Cleared inside push's own transaction: no waiting for a hook.
    expect((await overview(server, supervisor)).find((d) => d.id === operator.deviceId)).toMatchObject({
      pushFailingSince: null, pushFailures: 0, lastPushError: null, nextSeq: 2,
    });
  });

  it('calls a server fault stuck only once it has lasted five minutes', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('operator', '1111');
    await recordPushFailure(server.db, operator.deviceId, { status: 503, code: 'UNAVAILABLE' }, { pending: 1, oldestAgeSeconds: 30 });
    expect(await deviceEntry(server, supervisor, operator.deviceId, () => true)).toMatchObject({
      pushFailures: 1, lastPushError: { status: 503, code: 'UNAVAILABLE' }, pendingCount: 1, stuck: false,
    });
    await server.db.query("update devices set push_failing_since = now() - interval '6 minutes' where id = $1", [operator.deviceId]);
    expect(await deviceEntry(server, supervisor, operator.deviceId, () => true)).toMatchObject({ stuck: true });
  });

  it('stores what a device reports with its pull; old unsent work is stuck, nothing unsent ends a failure', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('operator', '1111');

    expect((await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(3, 60) } })).statusCode).toBe(200);
    const young = await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pendingCount === 3);
    expect(young).toMatchObject({ stuck: false, pushFailingSince: null });
    expect(young.reportedAt).not.toBeNull();

    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(4, 6 * 60) } });
    expect(await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pendingCount === 4)).toMatchObject({ stuck: true });

    await push(server.app, operator, [mutation(2, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1'))]);
    await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pushFailures === 1);
    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(0, 0) } });
    expect(await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pendingCount === 0)).toMatchObject({
      oldestPendingAt: null, pushFailingSince: null, pushFailures: 0, lastPushError: null, stuck: false,
    });
  });

  it('answers a pull whatever its report headers hold, and stores a well-formed report', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('operator', '1111');
    // Which values are refused is src/domain/device-health.test.ts's; here: none of them fails the pull.
    for (const [pending, age] of [['-1', '5'], ['1e3', '5'], ['3', '1234567890'], ['3', ''], ['\u00003', '5']]) {
      const answer = await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, [PENDING_COUNT_HEADER]: pending!, [PENDING_AGE_HEADER]: age! } });
      expect(answer.statusCode).toBe(200);
    }
    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(7, 1) } });
    expect(await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pendingCount === 7)).toMatchObject({ stuck: false });
  });

  it('keeps the app version a device reports, and ignores one no build would spell', async () => {
    server = await startTestServer(backend);
    const supervisor = await server.signIn('supervisor', '2222');
    const operator = await server.signIn('operator', '1111');
    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(2, 1), [APP_VERSION_HEADER]: '0.1.0+3f2c1ab' } });
    expect(await deviceEntry(server, supervisor, operator.deviceId, (d) => d.appVersion === '0.1.0+3f2c1ab')).toMatchObject({ pendingCount: 2 });
    await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: { ...operator, ...reported(1, 1), [APP_VERSION_HEADER]: '<img src=x>' } });
    expect(await deviceEntry(server, supervisor, operator.deviceId, (d) => d.pendingCount === 1)).toMatchObject({ appVersion: '0.1.0+3f2c1ab' });
  });

  it('shows a supervisor limited to some owners only the devices of users within them', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    for (const user of [
      { username: 'sue', displayName: 'Sue Supervisor', pin: '4821', role: 'supervisor', ownerIds: ['own-b'] },
      { username: 'ana', displayName: 'Ana Both', pin: '4822', role: 'operator', ownerIds: ['own-a', 'own-b'] },
    ]) {
      const created = await server.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: admin.authorization }, payload: user });
      expect(created.statusCode, created.body).toBe(201);
    }
    const beta = await server.signIn('beta', '3333');
    const operator = await server.signIn('operator', '1111');
    const ana = await server.signIn('ana', '4822');
    for (const device of [beta, operator, ana]) {
      await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: { ...device, ...reported(5, 900) }, payload: { mutations: refusedBatch() } });
    }
    const sue = await server.signIn('sue', '4821');
    for (const device of [beta, operator, ana]) {
      expect(await deviceEntry(server, admin, device.deviceId, (d) => d.pushFailures === 1)).toMatchObject({ stuck: true });
    }

    const seen = await overview(server, sue);
    expect(seen.map((d) => d.id).sort()).toEqual([beta.deviceId, sue.deviceId].sort());
    expect(seen.find((d) => d.id === beta.deviceId)).toMatchObject({ userName: 'Ben Beta', pendingCount: 5, stuck: true });
    // Stuck devices come first.
    expect(seen[0]!.id).toBe(beta.deviceId);
  });
});
