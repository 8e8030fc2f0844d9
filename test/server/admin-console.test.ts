// The admin console's routes (issue 15) through the real server, on PGlite and, when set,
// PostgreSQL: owners, users, devices and carton types, each for admins only, each within the
// admin's owners; changes to synced rows reach devices by pull; user and device changes audited.
import { describe, expect, it } from 'vitest';
import { pendingReportHeaders } from '../../src/domain/device-health';
import { pullAll } from './client';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { fixtureWarehouse } from './fixture';

type Headers = { authorization: string };

/** The fixture with an admin limited to Acme (own-a) and a supervisor of Acme. */
function warehouse() {
  const data = fixtureWarehouse();
  data.users.push(
    { username: 'acme-admin', displayName: 'Acme Admin', pin: '7777', role: 'admin', ownerIds: ['own-a'] },
    { username: 'acme-op', displayName: 'Acme Operator', pin: '3333', role: 'operator', ownerIds: ['own-a'] },
    { username: 'beta-op', displayName: 'Beta Operator', pin: '4444', role: 'operator', ownerIds: ['own-b'] },
  );
  return data;
}

const ADMIN_ROUTES: [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string][] = [
  ['GET', '/api/admin/owners'],
  ['POST', '/api/admin/owners'],
  ['PUT', '/api/admin/owners/own-a'],
  ['GET', '/api/admin/users'],
  ['PUT', '/api/admin/users/x/pin'],
  ['PUT', '/api/admin/users/x/active'],
  ['GET', '/api/admin/devices'],
  ['POST', '/api/admin/devices/x/revoke'],
  ['GET', '/api/admin/carton-types?owner=ACME'],
  ['PUT', '/api/admin/carton-types/box-a'],
  ['DELETE', '/api/admin/carton-types/box-a'],
];

async function auditEvents(server: TestServer): Promise<{ event: string; username: string; actor: string | null }[]> {
  const { rows } = await server.db.query<{ event: string; username: string; actor: string | null }>(
    'select a.event, a.username, u.username as actor from auth_audit a left join users u on u.id = a.actor_user_id order by a.id',
  );
  return rows;
}

describe.each(BACKENDS)('admin console routes on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  const call = (headers: Headers, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    server.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('refuses supervisors and operators with 403 on every admin route, before reading the body', async () => {
    server = await startTestServer(backend, warehouse());
    for (const [username, pin] of [['supervisor', '2222'], ['operator', '1111']] as const) {
      const session = await server.signIn(username, pin);
      for (const [method, url] of ADMIN_ROUTES) {
        const answer = await server.app.inject({ method, url, headers: { ...session, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { payload: '{"broken":' }) });
        expect(answer.statusCode, `${username} ${method} ${url}: ${answer.body}`).toBe(403);
      }
    }
  });

  it('lists, adds and edits owners; devices get the change by pull; an admin of one owner adds none', async () => {
    server = await startTestServer(backend, warehouse());
    const admin = await server.signIn('admin', '9999');
    const acmeAdmin = await server.signIn('acme-admin', '7777');

    const listed = await call(admin, 'GET', '/api/admin/owners');
    expect(listed.json<{ owners: { code: string }[] }>().owners.map((owner) => owner.code)).toEqual(['ACME', 'BETA']);
    expect((await call(acmeAdmin, 'GET', '/api/admin/owners')).json<{ owners: { code: string }[] }>().owners.map((owner) => owner.code)).toEqual(['ACME']);

    const settings = { name: 'Gamma Games', overReceiptTolerancePct: 5, allowUnexpectedItems: false, packQuantityTyped: true };
    const created = await call(admin, 'POST', '/api/admin/owners', { code: 'gamma', ...settings });
    expect(created.statusCode, created.body).toBe(201);
    const gamma = created.json<{ id: string; code: string }>();
    expect(gamma).toMatchObject({ code: 'GAMMA', ...settings });
    expect((await call(admin, 'POST', '/api/admin/owners', { code: 'GAMMA', ...settings })).statusCode).toBe(409);
    expect((await call(acmeAdmin, 'POST', '/api/admin/owners', { code: 'DELTA', ...settings })).statusCode).toBe(403);

    const edited = await call(acmeAdmin, 'PUT', '/api/admin/owners/own-a', { name: 'Acme Coffee Co', overReceiptTolerancePct: 12.5, allowUnexpectedItems: true, packQuantityTyped: false });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ id: 'own-a', code: 'ACME', name: 'Acme Coffee Co', overReceiptTolerancePct: 12.5 });
    // Another owner's is "not found", like one that does not exist.
    expect((await call(acmeAdmin, 'PUT', '/api/admin/owners/own-b', settings)).statusCode).toBe(404);

    const device = await server.signIn('operator', '1111');
    const { changes } = await pullAll(server.app, device);
    const owners = changes.filter((change) => change.table === 'owners');
    expect(owners.find((change) => change.id === 'own-a')?.row).toMatchObject({ name: 'Acme Coffee Co', allowUnexpectedItems: true });
    expect(owners.find((change) => change.id === gamma.id)?.row).toMatchObject({ code: 'GAMMA', packQuantityTyped: true });
  });

  it('creates users, resets a PIN, deactivates and limits them, within the admin’s owners, all on the audit trail', async () => {
    server = await startTestServer(backend, warehouse(), { signInLimits: { lockAfter: 3 } });
    const admin = await server.signIn('admin', '9999');
    const acmeAdmin = await server.signIn('acme-admin', '7777');

    // An admin of Acme sees only users limited to Acme.
    const visible = (await call(acmeAdmin, 'GET', '/api/admin/users')).json<{ users: { username: string; active: boolean }[] }>().users;
    expect(visible.map((user) => user.username)).toEqual(['acme-admin', 'acme-op']);

    const created = await call(acmeAdmin, 'POST', '/api/admin/users', { username: 'Nia', displayName: 'Nia North', pin: '1234', role: 'operator', ownerIds: ['own-a'] });
    expect(created.statusCode, created.body).toBe(201);
    const nia = created.json<{ id: string; username: string }>();
    expect(nia.username).toBe('nia');

    // A new PIN works at once and the old one no longer; it also lifts a lock.
    for (let i = 0; i < 3; i += 1) await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'nia', pin: '0000', deviceId: `dev-wrong-${i}` } });
    const reset = await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/pin`, { pin: '86420' });
    expect(reset.statusCode, reset.body).toBe(200);
    const signIn = (pin: string) => server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'nia', pin, deviceId: `dev-nia-${pin}` } });
    expect((await signIn('1234')).statusCode).toBe(401);
    const niaSession = { authorization: `Bearer ${(await signIn('86420')).json<{ token: string }>().token}` };
    expect((await call(niaSession, 'GET', '/api/session')).statusCode).toBe(200);
    expect((await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/pin`, { pin: '12' })).statusCode).toBe(400);

    // Deactivated: the session ends at once and sign-in is refused; reactivated, the PIN works again.
    const off = await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/active`, { active: false });
    expect(off.json()).toMatchObject({ username: 'nia', active: false });
    expect((await call(niaSession, 'GET', '/api/session')).statusCode).toBe(401);
    expect((await signIn('86420')).statusCode).toBe(401);
    expect((await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/active`, { active: true })).json()).toMatchObject({ active: true });
    expect((await signIn('86420')).statusCode).toBe(200);

    // Limited to Beta by an admin of every owner; from then on the Acme admin cannot reach her.
    expect((await call(admin, 'PUT', `/api/admin/users/${nia.id}/owners`, { ownerIds: ['own-b'] })).statusCode).toBe(200);
    expect((await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/pin`, { pin: '5555' })).statusCode).toBe(404);
    expect((await call(acmeAdmin, 'PUT', `/api/admin/users/${nia.id}/active`, { active: false })).statusCode).toBe(404);
    // Nobody deactivates themselves.
    const { rows } = await server.db.query<{ id: string }>(`select id from users where username = 'admin'`);
    expect((await call(admin, 'PUT', `/api/admin/users/${rows[0]!.id}/active`, { active: false })).statusCode).toBe(409);

    const trail = await auditEvents(server);
    expect(trail.filter((row) => row.username === 'nia').map((row) => `${row.event} by ${row.actor ?? 'server'}`)).toEqual([
      'user_created by acme-admin',
      'account_locked by server',
      'user_pin_reset by acme-admin',
      'account_unlocked by acme-admin',
      'user_deactivated by acme-admin',
      'user_reactivated by acme-admin',
      'user_owners_set by admin',
    ]);
    const { rows: details } = await server.db.query<{ details: unknown }>(`select details from auth_audit where event = 'user_pin_reset'`);
    expect(JSON.stringify(details)).not.toContain('86420');
  });

  it('lists devices with their unsent work; a revoked device’s token stops at once, its id never signs in again, its work stays listed', async () => {
    server = await startTestServer(backend, warehouse());
    const admin = await server.signIn('admin', '9999');
    const acmeAdmin = await server.signIn('acme-admin', '7777');
    const lost = await server.signIn('acme-op', '3333', 'dev-lost-07');
    const other = await server.signIn('beta-op', '4444', 'dev-beta-01');
    // The handheld reported 3 unsent scans, 47 minutes old, with its last pull.
    const reported = await server.app.inject({ method: 'GET', url: '/api/sync/pull?cursor=&limit=10&resultsAfter=0', headers: { ...lost, ...pendingReportHeaders({ pending: 3, oldestAgeSeconds: 47 * 60 }) } });
    expect(reported.statusCode).toBe(200);

    type Device = { id: string; userName: string | null; pendingCount: number | null; oldestPendingAt: string | null; revokedAt: string | null; revokedBy: string | null };
    const devices = async (headers: Headers) => (await call(headers, 'GET', '/api/admin/devices')).json<{ devices: Device[] }>().devices;
    // The report is noted after the answer has gone.
    await expect.poll(async () => (await devices(acmeAdmin)).find((device) => device.id === 'dev-lost-07'))
      .toMatchObject({ userName: 'Acme Operator', pendingCount: 3, revokedAt: null });
    expect((await devices(acmeAdmin)).map((device) => device.id).sort()).toEqual([acmeAdmin.deviceId, 'dev-lost-07'].sort());
    // Beta's handheld is not the Acme admin's to revoke: "not found".
    expect((await call(acmeAdmin, 'POST', '/api/admin/devices/dev-beta-01/revoke')).statusCode).toBe(404);
    // Nor is the admin's own.
    expect((await call(acmeAdmin, 'POST', `/api/admin/devices/${acmeAdmin.deviceId}/revoke`)).statusCode).toBe(409);

    const revoked = await call(acmeAdmin, 'POST', '/api/admin/devices/dev-lost-07/revoke');
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: 'dev-lost-07', pendingCount: 3, revokedBy: 'Acme Admin', revokedAt: expect.any(String) });
    expect((await server.app.inject({ method: 'GET', url: '/api/sync/pull', headers: lost })).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'POST', url: '/api/sync/push', headers: lost, payload: { mutations: [] } })).statusCode).toBe(401);
    // Its id signs in for nobody again, with its secret or without.
    const again = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'acme-op', pin: '3333', deviceId: 'dev-lost-07' } });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ error: 'DEVICE_TAKEN' });
    // Repeating it changes nothing; the other device goes on.
    expect((await call(acmeAdmin, 'POST', '/api/admin/devices/dev-lost-07/revoke')).json()).toMatchObject({ revokedAt: revoked.json<Device>().revokedAt });
    expect((await server.app.inject({ method: 'GET', url: '/api/session', headers: other })).statusCode).toBe(200);

    // Listed for a supervisor to redo: the revoked device still shows what it held unsent.
    expect((await devices(admin)).find((device) => device.id === 'dev-lost-07')).toMatchObject({ pendingCount: 3, revokedBy: 'Acme Admin' });
    const trail = await auditEvents(server);
    expect(trail.filter((row) => row.event === 'device_revoked')).toEqual([{ event: 'device_revoked', username: 'acme-op', actor: 'acme-admin' }]);
  });

  it('adds, edits and removes carton types per owner; pack stations get them by pull; a box packed in is kept', async () => {
    server = await startTestServer(backend, warehouse());
    const acmeAdmin = await server.signIn('acme-admin', '7777');
    const box = { ownerId: 'own-a', code: 'box-m', name: 'Medium box', lengthMm: 400, widthMm: 300, heightMm: 200, maxWeightGrams: 15_000 };

    const added = await call(acmeAdmin, 'PUT', '/api/admin/carton-types/ctn-m', box);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ id: 'ctn-m', code: 'BOX-M' });
    const listed = await call(acmeAdmin, 'GET', '/api/admin/carton-types?owner=acme');
    expect(listed.json<{ cartonTypes: { code: string }[] }>().cartonTypes.map((type) => type.code)).toEqual(['BOX-A', 'BOX-M']);
    expect((await call(acmeAdmin, 'GET', '/api/admin/carton-types?owner=BETA')).statusCode).toBe(404);
    expect((await call(acmeAdmin, 'GET', '/api/admin/carton-types')).json<{ cartonTypes: { ownerId: string }[] }>().cartonTypes.every((type) => type.ownerId === 'own-a')).toBe(true);

    // Edited in place; the same code twice for one owner, another owner's box, or moving it, refused.
    expect((await call(acmeAdmin, 'PUT', '/api/admin/carton-types/ctn-m', { ...box, name: 'Medium box (double wall)', maxWeightGrams: null })).json()).toMatchObject({ name: 'Medium box (double wall)', maxWeightGrams: null });
    const twice = await call(acmeAdmin, 'PUT', '/api/admin/carton-types/ctn-m2', { ...box, code: 'BOX-A' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ message: string }>().message).toContain('BOX-A');
    expect((await call(acmeAdmin, 'PUT', '/api/admin/carton-types/box-b', box)).statusCode).toBe(404);
    expect((await call(acmeAdmin, 'PUT', '/api/admin/carton-types/ctn-x', { ...box, ownerId: 'own-b' })).statusCode).toBe(400);
    expect((await call(acmeAdmin, 'PUT', '/api/admin/carton-types/ctn-x', { ...box, lengthMm: 0 })).json<{ message: string }>().message).toContain('lengthMm');

    const packer = await server.signIn('acme-op', '3333');
    const first = await pullAll(server.app, packer);
    expect(first.changes.find((change) => change.table === 'cartonTypes' && change.id === 'ctn-m')?.row).toMatchObject({ name: 'Medium box (double wall)' });

    // A carton closed in BOX-A keeps it; the unused medium box goes, and leaves the devices.
    await server.db.query(`insert into cartons (id, owner_id, order_id, label, status, carton_type_id, weight_grams) values ('c-1', 'own-a', '5234567890123456789', '1', 'closed', 'box-a', 900)`);
    const kept = await call(acmeAdmin, 'DELETE', '/api/admin/carton-types/box-a');
    expect(kept.statusCode).toBe(409);
    expect(kept.json()).toMatchObject({ error: 'CARTON_TYPE_USED', message: expect.stringContaining('cannot be removed') });
    expect((await call(acmeAdmin, 'DELETE', '/api/admin/carton-types/ctn-m')).statusCode).toBe(204);
    expect((await call(acmeAdmin, 'DELETE', '/api/admin/carton-types/ctn-m')).statusCode).toBe(404);
    expect((await call(acmeAdmin, 'DELETE', '/api/admin/carton-types/box-b')).statusCode).toBe(404);
    const next = await pullAll(server.app, packer, first.cursor);
    expect(next.changes.filter((change) => change.table === 'cartonTypes')).toEqual([expect.objectContaining({ id: 'ctn-m', op: 'delete' })]);
  });
});
